namespace Scalegram.Ops;

/// <summary>One sample of the ops page's series: what this node did during one interval.</summary>
internal sealed record OpsPoint(
    DateTimeOffset Time,
    double RequestsPerSecond,
    double P50Ms,
    double P99Ms,
    double ErrorRate,
    double? CacheHitRatio,
    long QueueDepth,
    double QueueOldestAgeSeconds,
    long DeadJobs,
    long DailyActiveUsers,
    IReadOnlyDictionary<string, long> Business)
{
    /// <summary>Hits over lookups at this node's edges during the interval (varnishstat); null without edge statistics or lookups.</summary>
    public double? EdgeHitRatio { get; init; }
}

/// <summary>The answer of GET /api/ops/series: the interval and the points, oldest first.</summary>
internal sealed record OpsSeries(double IntervalSeconds, IReadOnlyList<OpsPoint> Points);
