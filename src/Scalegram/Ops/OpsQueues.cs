using Scalegram.Messaging;

namespace Scalegram.Ops;

/// <summary>
/// The answer of GET /api/ops/queues: per queue, the backlog every node sees (waiting jobs, the oldest one's age,
/// dead letters, RabbitMQ: outbox rows not yet published) and the jobs this node finished since it started.
/// </summary>
internal sealed record OpsQueue(string Queue, long Ready, double? OldestAgeSeconds, long Dead, long Unpublished, long Ok, long Retried, long DeadLettered)
{
    public static IReadOnlyList<OpsQueue> Of(JobCatalog catalog, QueueGauges gauges, QueueThroughput throughput)
    {
        var stats = gauges.Latest;
        long Depth(string queue, string state) => stats.Where(s => s.Queue == queue && s.State == state).Sum(s => s.Depth);
        return [.. catalog.Queues.Select(q => new OpsQueue(
            q,
            Depth(q, "ready"),
            stats.Where(s => s.Queue == q && s.State is "ready" or "unpublished" && s.OldestAge is not null).Select(s => (double?)s.OldestAge!.Value.TotalSeconds).Max(),
            Depth(q, "dead"),
            Depth(q, "unpublished"),
            throughput.Count(q, "ok"),
            throughput.Count(q, "retry"),
            throughput.Count(q, "dead")))];
    }
}
