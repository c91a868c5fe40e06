using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Observability;

namespace Scalegram.Tests.Infrastructure;

/// <summary>
/// Counts one node's cache hits as they are recorded on scalegram.cache.requests (the series
/// /metrics shows). Listens to that node's own meter only: several nodes share this test process.
/// </summary>
public sealed class CacheHits : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _hits;

    public CacheHits(TestServer node)
    {
        var meter = node.Services.GetRequiredService<ScalegramMetrics>().Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == meter && instrument.Name == "scalegram.cache.requests")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "result" && Equals(tag.Value, "hit"))
                {
                    Interlocked.Add(ref _hits, value);
                }
            }
        });
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _hits);

    public void Dispose() => _listener.Dispose();
}
