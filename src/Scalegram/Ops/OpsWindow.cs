using HdrHistogram;

namespace Scalegram.Ops;

/// <summary>What the sampler gathers between two points; thread-safe, emptied when a point is taken.</summary>
internal sealed class OpsWindow
{
    /// <summary>The business events the ops page charts (scalegram.business.events' "event" label).</summary>
    public static readonly string[] BusinessEvents = ["signup", "login", "upload", "like", "comment", "follow"];

    private readonly Lock _gate = new();
    private readonly LongHistogram _latencyMicros = new(TimeSpan.FromMinutes(5).Ticks / 10, 3);
    private readonly Dictionary<string, long> _business = new(StringComparer.Ordinal);
    private long _requests;
    private long _errors;
    private long _hits;
    private long _misses;

    public void Request(double seconds, bool serverError)
    {
        var micros = Math.Clamp((long)(seconds * 1_000_000), 1, _latencyMicros.HighestTrackableValue);
        lock (_gate)
        {
            _requests++;
            _errors += serverError ? 1 : 0;
            _latencyMicros.RecordValue(micros);
        }
    }

    public void Cache(bool hit, long count)
    {
        lock (_gate)
        {
            if (hit)
            {
                _hits += count;
            }
            else
            {
                _misses += count;
            }
        }
    }

    public void Business(string kind, long count)
    {
        lock (_gate)
        {
            _business[kind] = _business.GetValueOrDefault(kind) + count;
        }
    }

    /// <summary>Closes the window into a point and starts a new one.</summary>
    public OpsPoint Take(DateTimeOffset now, TimeSpan interval, long queueDepth, double oldestAge, long deadJobs, long activeUsers)
    {
        lock (_gate)
        {
            var point = new OpsPoint(
                now,
                _requests / interval.TotalSeconds,
                _requests == 0 ? 0 : _latencyMicros.GetValueAtPercentile(50) / 1000.0,
                _requests == 0 ? 0 : _latencyMicros.GetValueAtPercentile(99) / 1000.0,
                _requests == 0 ? 0 : (double)_errors / _requests,
                _hits + _misses == 0 ? null : (double)_hits / (_hits + _misses),
                queueDepth,
                oldestAge,
                deadJobs,
                activeUsers,
                BusinessEvents.ToDictionary(e => e, e => _business.GetValueOrDefault(e), StringComparer.Ordinal));
            _requests = _errors = _hits = _misses = 0;
            _business.Clear();
            _latencyMicros.Reset();
            return point;
        }
    }
}
