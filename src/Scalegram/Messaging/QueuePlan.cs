using Microsoft.Extensions.Options;

namespace Scalegram.Messaging;

/// <summary>
/// What this process's worker consumes: each queue it was started for (Messaging:WorkerQueues, default all) with
/// its own concurrency, so each gets its own workers and a backlog in one never waits behind another.
/// </summary>
internal sealed class QueuePlan
{
    public QueuePlan(JobCatalog catalog, IOptions<MessagingOptions> options)
    {
        var o = options.Value;
        var chosen = MessagingOptions.QueueList(o.WorkerQueues);
        Consumed = [.. catalog.Queues.Where(q => chosen.Count == 0 || chosen.Contains(q)).Select(q => new QueueSlots(q, ConcurrencyOf(o, q)))];
        SingleQueue = o.SingleQueue;
        Types = [.. Consumed.SelectMany(q => catalog.TypesOn(q.Queue).Select(t => (q.Queue, t)))];
    }

    /// <summary>Every (queue, job type) this process consumes.</summary>
    public IReadOnlyList<(string Queue, string Type)> Types { get; }

    /// <summary>The queues consumed here, in name order, each with its concurrency.</summary>
    public IReadOnlyList<QueueSlots> Consumed { get; }

    /// <summary>The benchmark baseline: one pool for every queue (see <see cref="MessagingOptions.SingleQueue"/>).</summary>
    public bool SingleQueue { get; }

    public static int ConcurrencyOf(MessagingOptions options, string queue) =>
        options.Queues.TryGetValue(queue, out var q) && q.Concurrency is { } n ? n : options.Concurrency;
}

/// <summary>A queue and how many of its jobs run at once in this process.</summary>
internal sealed record QueueSlots(string Queue, int Concurrency);
