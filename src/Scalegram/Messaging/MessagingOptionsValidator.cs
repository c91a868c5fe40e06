using Microsoft.Extensions.Options;

namespace Scalegram.Messaging;

/// <summary>Checks the queue settings against the job catalog at start-up; each failure names its key and the queues there are.</summary>
internal sealed class MessagingOptionsValidator(JobCatalog catalog) : IValidateOptions<MessagingOptions>
{
    public ValidateOptionsResult Validate(string? name, MessagingOptions options)
    {
        var known = string.Join(", ", catalog.Queues);
        var problems = new List<string>();
        foreach (var queue in MessagingOptions.QueueList(options.WorkerQueues).Where(q => !catalog.Queues.Contains(q)))
        {
            problems.Add($"Messaging:WorkerQueues (--queues) names '{queue}', which is not a queue; the queues are {known}.");
        }

        foreach (var (queue, settings) in options.Queues)
        {
            if (!catalog.Queues.Contains(queue, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"Messaging:Queues:{queue} is not a queue; the queues are {known}.");
            }
            else if (settings.Concurrency is < 1 or > 256)
            {
                problems.Add($"Messaging:Queues:{queue}:Concurrency must be between 1 and 256 (got {settings.Concurrency}).");
            }
        }

        if (options.SingleQueue && options.Engine != MessagingEngine.Embedded)
        {
            problems.Add("Messaging:SingleQueue (the benchmark's one-pool baseline) works with Messaging:Engine=Embedded only.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
