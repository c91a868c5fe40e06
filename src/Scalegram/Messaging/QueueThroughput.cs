using System.Collections.Concurrent;

namespace Scalegram.Messaging;

/// <summary>Jobs this process finished since it started, per queue and outcome: the ops page's throughput (the same counts as scalegram_queue_jobs_total).</summary>
internal sealed class QueueThroughput
{
    private readonly ConcurrentDictionary<(string Queue, string Outcome), long> _counts = new();

    public void Finished(string queue, string outcome) => _counts.AddOrUpdate((queue, outcome), 1, (_, n) => n + 1);

    /// <summary>Finished jobs of a queue with an outcome (ok, retry, postponed, dead, interrupted).</summary>
    public long Count(string queue, string outcome) => _counts.GetValueOrDefault((queue, outcome));
}
