namespace Scalegram.Messaging;

/// <summary>Where the queue gauges read depth and age from: the jobs tables (embedded) or the broker plus the outbox (RabbitMQ).</summary>
internal interface IQueueStatsSource
{
    Task<IReadOnlyList<QueueStats>> StatsAsync(CancellationToken ct);
}
