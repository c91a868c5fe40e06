using System.ComponentModel.DataAnnotations;

namespace Scalegram.Messaging;

/// <summary>The message queue tier's settings (section "Messaging").</summary>
internal sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>Embedded (jobs in the database) or RabbitMq.</summary>
    [EnumDataType(typeof(MessagingEngine), ErrorMessage = "Messaging:Engine must be Embedded or RabbitMq.")]
    public MessagingEngine Engine { get; set; } = MessagingEngine.Embedded;

    /// <summary>The older name of <see cref="Engine"/>, still accepted; Engine wins when both are set.</summary>
    public MessagingEngine? Transport { get; set; }

    /// <summary>The engine a configuration names, by Messaging:Engine or its older name Messaging:Transport.</summary>
    public static MessagingEngine EngineIn(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var key = section["Engine"] is not null ? "Engine" : "Transport";
        return section.GetValue(key, MessagingEngine.Embedded);
    }

    /// <summary>Jobs a worker process runs at once from each queue that sets no Messaging:Queues:{queue}:Concurrency of its own.</summary>
    [Range(1, 256, ErrorMessage = "Messaging:Concurrency must be between 1 and 256.")]
    public int Concurrency { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Per-queue settings, e.g. Messaging:Queues:photos:Concurrency. Keys must be queues of the job catalog.</summary>
    public Dictionary<string, QueueOptions> Queues { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The queues this process's worker consumes, comma-separated (`serve --queues` sets it); empty means every queue.</summary>
    public string? WorkerQueues { get; set; }

    /// <summary>
    /// Benchmark baseline only (embedded engine): one pool of Messaging:Concurrency workers claims from every
    /// queue in arrival order, as before queues had their own workers, so a photo backlog delays everything.
    /// </summary>
    public bool SingleQueue { get; set; }

    /// <summary>The queue names in a comma-separated list (trimmed, lower-case, no empties).</summary>
    public static IReadOnlyList<string> QueueList(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(q => q.ToLowerInvariant()).Distinct()];

    /// <summary>Attempts before a job is dead-lettered.</summary>
    [Range(1, 100, ErrorMessage = "Messaging:MaxAttempts must be between 1 and 100.")]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry delay; each later retry doubles it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "Messaging:RetryBaseDelay must be between 10 ms and 1 h.")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Delay before running again a job that failed because a dependency (database, blob store) was down; such runs use up no attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Messaging:OutageRetryDelay must be between 10 ms and 10 min.")]
    public TimeSpan OutageRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a claimed job stays invisible to other workers; renewed while it runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Messaging:Lease must be between 1 s and 1 h.")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle worker looks for due jobs written by other processes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ErrorMessage = "Messaging:PollInterval must be between 10 ms and 1 min.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}
