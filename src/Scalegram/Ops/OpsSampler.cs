using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Scalegram.Cdn;
using Scalegram.Messaging;
using Scalegram.Observability;
using Scalegram.Web;

namespace Scalegram.Ops;

/// <summary>
/// Listens to this node's own instruments (HTTP server duration, cache lookups, business events)
/// and closes a point every Observability:SampleInterval into a ring buffer of the last hour, the
/// data behind /ops. Only instruments from this host's meter factory count, so two nodes in one
/// process (as in tests) do not mix.
/// </summary>
internal sealed class OpsSampler : BackgroundService
{
    private static readonly string[] Unmeasured = ["/metrics", "/ops", "/api/ops", "/healthz"];

    private readonly IMeterFactory _meters;
    private readonly QueueGauges _queues;
    private readonly ActiveUsers _activeUsers;
    private readonly TimeProvider _time;
    private readonly ObservabilityOptions _options;
    private readonly OpsWindow _window = new();
    private readonly Lock _gate = new();
    private readonly Queue<OpsPoint> _points = new();
    private readonly MeterListener _listener = new();
    private readonly EdgeStats? _edgeStats;
    private readonly Dictionary<string, (long Hits, long Misses)> _edgeSeen = [];

    // The edge statistics are there when the node has the CDN tier; the ops page shows none otherwise.
    public OpsSampler(IMeterFactory meters, QueueGauges queues, ActiveUsers activeUsers, TimeProvider time, IOptions<ObservabilityOptions> options, EdgeStats? edgeStats = null)
    {
        _edgeStats = edgeStats;
        _meters = meters;
        _queues = queues;
        _activeUsers = activeUsers;
        _time = time;
        _options = options.Value;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, _meters) && instrument.Name is "http.server.request.duration" or "scalegram.cache.requests" or "scalegram.business.events")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnDouble);
        _listener.SetMeasurementEventCallback<long>(OnLong);
    }

    public int Capacity => Math.Max(1, (int)(_options.History / _options.SampleInterval));

    public OpsSeries Series()
    {
        lock (_gate)
        {
            return new OpsSeries(_options.SampleInterval.TotalSeconds, _points.ToList());
        }
    }

    /// <summary>Closes the current window now (the timer calls this; tests call it to avoid waiting).</summary>
    public OpsPoint Sample()
    {
        var stats = _queues.Latest;
        var ready = stats.Where(s => s.State == "ready").ToList();
        var point = _window.Take(
            _time.GetUtcNow(),
            _options.SampleInterval,
            ready.Sum(s => s.Depth),
            ready.Count == 0 ? 0 : ready.Max(s => s.OldestAge?.TotalSeconds ?? 0),
            stats.Where(s => s.State == "dead").Sum(s => s.Depth),
            _activeUsers.Count);
        point = point with { EdgeHitRatio = EdgeHitRatio() };
        lock (_gate)
        {
            _points.Enqueue(point);
            while (_points.Count > Capacity)
            {
                _points.Dequeue();
            }
        }

        return point;
    }

    /// <summary>Hits over lookups across the edges since the last sample (a restarted edge counts from zero again).</summary>
    private double? EdgeHitRatio()
    {
        if (_edgeStats is null)
        {
            return null;
        }

        long hits = 0, misses = 0;
        lock (_gate)
        {
            foreach (var edge in _edgeStats.Counters)
            {
                var seen = _edgeSeen.GetValueOrDefault(edge.Edge);
                var restarted = edge.Hits < seen.Hits || edge.Misses < seen.Misses;
                hits += restarted ? edge.Hits : edge.Hits - seen.Hits;
                misses += restarted ? edge.Misses : edge.Misses - seen.Misses;
                _edgeSeen[edge.Edge] = (edge.Hits, edge.Misses);
            }
        }

        return hits + misses == 0 ? null : (double)hits / (hits + misses);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _listener.Start();
        using var timer = new PeriodicTimer(_options.SampleInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override void Dispose()
    {
        _listener.Dispose();
        base.Dispose();
    }

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var route = Tag(tags, "http.route") as string;
        if (route is not null && Unmeasured.Any(p => route.StartsWith(p, StringComparison.Ordinal)))
        {
            return;
        }

        var status = Tag(tags, "http.response.status_code") is int code ? code : 0;
        _window.Request(value, status >= 500);
    }

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name == "scalegram.cache.requests")
        {
            _window.Cache(Tag(tags, "result") as string == "hit", value);
        }
        else if (Tag(tags, "event") is string kind)
        {
            _window.Business(kind, value);
        }
    }

    private static object? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value;
            }
        }

        return null;
    }
}
