using System.Diagnostics.Metrics;
using Scalegram.Observability;

namespace Scalegram.Cdn;

/// <summary>The CDN tier's figures: purges sent and failed, media bytes the origin sent, whether the edge is in use, and its hit ratio.</summary>
internal sealed class CdnMetrics
{
    private readonly Counter<long> _purges;
    private readonly Counter<long> _mediaBytes;

    public CdnMetrics(ScalegramMetrics metrics, EdgeHealth health, EdgeStats stats)
    {
        var meter = metrics.Meter;
        _purges = meter.CreateCounter<long>("scalegram.cdn.purges", "{request}", "PURGE requests to the edges, by outcome (sent, failed).");
        _mediaBytes = meter.CreateCounter<long>("scalegram.cdn.origin.media_bytes", "By", "Bytes of media objects this origin sent in full (GETs without Range or conditional headers; what the edge saves shows here).");
        meter.CreateObservableGauge("scalegram.cdn.edge.up", () => health.Configured ? [new Measurement<int>(health.IsUp ? 1 : 0)] : Array.Empty<Measurement<int>>(), "{edge}", "1 while media URLs point at the edge, 0 while they fall back to the origin.");
        meter.CreateObservableCounter("scalegram.cdn.edge.cache_hits", () => stats.Counters.Select(c => new Measurement<long>(c.Hits, new KeyValuePair<string, object?>("edge", c.Edge))), "{request}", "Edge lookups served from its cache (varnishstat MAIN.cache_hit).");
        meter.CreateObservableCounter("scalegram.cdn.edge.cache_misses", () => stats.Counters.Select(c => new Measurement<long>(c.Misses, new KeyValuePair<string, object?>("edge", c.Edge))), "{request}", "Edge lookups that went to the origin (varnishstat MAIN.cache_miss).");
        meter.CreateObservableGauge("scalegram.cdn.edge.hit_ratio", () => stats.Counters.Where(c => c.Hits + c.Misses > 0).Select(c => new Measurement<double>((double)c.Hits / (c.Hits + c.Misses), new KeyValuePair<string, object?>("edge", c.Edge))), "1", "Hits over hits plus misses since the edge started.");
    }

    public void MediaSent(long bytes) => _mediaBytes.Add(bytes);

    public void Purge(string edge, bool sent) => _purges.Add(1, new("edge", edge), new("outcome", sent ? "sent" : "failed"));
}
