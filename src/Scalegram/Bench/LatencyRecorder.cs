using HdrHistogram;

namespace Scalegram.Bench;

/// <summary>
/// Collects every request's outcome: latency (from its scheduled send time) into HdrHistograms,
/// overall, per operation and per second of the run (by completion time), and errors by kind.
/// </summary>
internal sealed class LatencyRecorder
{
    /// <summary>Latencies are kept in microseconds, up to ten minutes.</summary>
    public static readonly long HighestMicros = (long)TimeSpan.FromMinutes(10).TotalMicroseconds;

    private readonly Lock _gate = new();
    private readonly LongHistogram _all = new(HighestMicros, 3);
    private readonly Dictionary<string, OperationStats> _operations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _errorKinds = new(StringComparer.Ordinal);
    private readonly List<SecondStats> _seconds = [];

    public long Sent { get; private set; }

    public long Ok { get; private set; }

    public long Errors { get; private set; }

    public void Sending(int second)
    {
        lock (_gate)
        {
            Sent++;
            Second(second).Sent++;
        }
    }

    public void Record(int completedSecond, string operation, TimeSpan latency, string? error)
    {
        var micros = Math.Clamp((long)latency.TotalMicroseconds, 1, HighestMicros);
        lock (_gate)
        {
            _all.RecordValue(micros);
            var op = _operations.TryGetValue(operation, out var found) ? found : _operations[operation] = new OperationStats();
            op.Histogram.RecordValue(micros);
            var second = Second(completedSecond);
            second.Histogram.RecordValue(micros);
            if (error is null)
            {
                Ok++;
                op.Ok++;
                second.Ok++;
            }
            else
            {
                Errors++;
                op.Errors++;
                second.Errors++;
                _errorKinds[error] = _errorKinds.GetValueOrDefault(error) + 1;
            }
        }
    }

    /// <summary>The p99 (ms) of everything recorded so far, for the live progress line.</summary>
    public double CurrentP99Ms
    {
        get
        {
            lock (_gate)
            {
                return _all.TotalCount == 0 ? 0 : _all.GetValueAtPercentile(99) / 1000.0;
            }
        }
    }

    public Percentiles Overall()
    {
        lock (_gate)
        {
            return Percentiles.Of(_all);
        }
    }

    public IReadOnlyDictionary<string, OperationSummary> Operations()
    {
        lock (_gate)
        {
            return _operations.OrderBy(o => o.Key, StringComparer.Ordinal)
                .ToDictionary(o => o.Key, o => new OperationSummary(o.Value.Ok + o.Value.Errors, o.Value.Ok, o.Value.Errors, Percentiles.Of(o.Value.Histogram)), StringComparer.Ordinal);
        }
    }

    public IReadOnlyDictionary<string, long> ErrorKinds()
    {
        lock (_gate)
        {
            return new Dictionary<string, long>(_errorKinds, StringComparer.Ordinal);
        }
    }

    public IReadOnlyList<SecondSummary> PerSecond()
    {
        lock (_gate)
        {
            return _seconds.Select((s, i) => new SecondSummary(
                i,
                s.Sent,
                s.Ok,
                s.Errors,
                s.Histogram.TotalCount == 0 ? null : s.Histogram.GetValueAtPercentile(50) / 1000.0,
                s.Histogram.TotalCount == 0 ? null : s.Histogram.GetValueAtPercentile(99) / 1000.0,
                s.Histogram.TotalCount == 0 ? null : s.Histogram.GetMaxValue() / 1000.0)).ToList();
        }
    }

    private SecondStats Second(int index)
    {
        index = Math.Max(0, index);
        while (_seconds.Count <= index)
        {
            _seconds.Add(new SecondStats());
        }

        return _seconds[index];
    }

    private sealed class OperationStats
    {
        public LongHistogram Histogram { get; } = new(HighestMicros, 3);

        public long Ok { get; set; }

        public long Errors { get; set; }
    }

    /// <summary>Per-second figures use 2 significant digits (1 %): plenty for a chart, and small.</summary>
    private sealed class SecondStats
    {
        public LongHistogram Histogram { get; } = new(HighestMicros, 2);

        public long Sent { get; set; }

        public long Ok { get; set; }

        public long Errors { get; set; }
    }
}

/// <summary>Latency percentiles in milliseconds.</summary>
internal sealed record Percentiles(long Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static Percentiles Of(HistogramBase h) => h.TotalCount == 0
        ? new Percentiles(0, 0, 0, 0, 0, 0, 0)
        : new Percentiles(
            h.TotalCount,
            h.GetValueAtPercentile(50) / 1000.0,
            h.GetValueAtPercentile(90) / 1000.0,
            h.GetValueAtPercentile(99) / 1000.0,
            h.GetValueAtPercentile(99.9) / 1000.0,
            h.GetMaxValue() / 1000.0,
            h.GetMean() / 1000.0);
}

/// <summary>One operation's share of a run.</summary>
internal sealed record OperationSummary(long Count, long Ok, long Errors, Percentiles Latency);

/// <summary>One second of a run: requests scheduled in it, and the outcomes and latencies of those that completed in it.</summary>
internal sealed record SecondSummary(int Second, long Sent, long Ok, long Errors, double? P50, double? P99, double? Max);
