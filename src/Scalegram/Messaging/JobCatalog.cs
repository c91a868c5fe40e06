namespace Scalegram.Messaging;

/// <summary>The job types this deployment sends, given by the product at start-up: the queues to declare, watch and report.</summary>
internal sealed class JobCatalog
{
    private readonly Dictionary<string, JobType> _types;

    public JobCatalog(IEnumerable<JobType> types)
    {
        _types = types.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Queues = [.. _types.Values.Select(t => t.Queue).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<string> Queues { get; }

    /// <summary>The job types that travel on a queue.</summary>
    public IEnumerable<string> TypesOn(string queue) => _types.Values.Where(t => t.Queue == queue).Select(t => t.Name).Order(StringComparer.Ordinal);

    /// <summary>The queue of a job type; an unknown type is a programming error, caught before anything is written.</summary>
    public string QueueOf(string type) =>
        _types.TryGetValue(type, out var jobType) ? jobType.Queue : throw new ArgumentException($"Job type '{type}' is not in the job catalog.", nameof(type));
}
