using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Observability;

namespace Scalegram.Tests.Infrastructure;

/// <summary>
/// Counts one node's database calls (connections opened, as scalegram.db.calls records them for /metrics) from
/// the moment it is made. Listens to that node's own meter only: several nodes share this test process. With
/// <see cref="DuringAsync"/> only the calls of the awaited code count, not those of the node's background loops
/// (the job poller reads the database every 100 ms in tests).
/// </summary>
public sealed class DbCalls : IDisposable
{
    private static readonly AsyncLocal<DbCalls?> Current = new();
    private readonly MeterListener _listener = new();
    private readonly bool _flowOnly;
    private long _calls;

    public DbCalls(TestServer node)
        : this(node, flowOnly: false)
    {
    }

    private DbCalls(TestServer node, bool flowOnly)
    {
        _flowOnly = flowOnly;
        var meter = node.Services.GetRequiredService<ScalegramMetrics>().Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == meter && instrument.Name == "scalegram.db.calls")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            // The callback runs on the recording code's own flow, so its AsyncLocal tells whose call it is.
            if (!_flowOnly || Current.Value == this)
            {
                Interlocked.Add(ref _calls, value);
            }
        });
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _calls);

    /// <summary>The calls <paramref name="action"/> made itself, in-process (requests it sends to the node are not on its flow).</summary>
    public static async Task<long> DuringAsync(TestServer node, Func<Task> action)
    {
        using var calls = new DbCalls(node, flowOnly: true);
        Current.Value = calls;
        try
        {
            await action();
        }
        finally
        {
            Current.Value = null;
        }

        return calls.Count;
    }

    public void Dispose() => _listener.Dispose();
}
