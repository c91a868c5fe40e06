using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Scalegram.Messaging;
using Scalegram.Observability;

namespace Scalegram.Tests.Messaging;

/// <summary>A queue gauge whose source fails reports no series (not its last figures) until the source answers again.</summary>
public sealed class QueueGaugesTests
{
    [Fact]
    public async Task A_failed_read_empties_the_gauges_until_a_read_succeeds()
    {
        var source = new FakeStatsSource();
        var logger = new RecordingLogger();
        using var meters = new TestMeterFactory();
        var metrics = new ScalegramMetrics(meters);
        var gauges = new QueueGauges(source, new JobCatalog([new JobType("photo", "photos")]), metrics, logger);
        using var listener = Listen(metrics.Meter);

        source.Next = [new QueueStats("photos", "ready", 7, TimeSpan.FromSeconds(3))];
        await gauges.RefreshAsync(CancellationToken.None);
        Assert.Equal([("scalegram.queue.depth", "photos/ready", 7.0), ("scalegram.queue.oldest_age", "photos/ready", 3.0)], listener.Collect());

        source.Failure = new IOException("store down");
        await gauges.RefreshAsync(CancellationToken.None);
        Assert.Empty(listener.Collect());
        Assert.Empty(gauges.Latest);
        await gauges.RefreshAsync(CancellationToken.None);
        Assert.Empty(listener.Collect());

        // One warning with the exception for the whole outage, not one per read.
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Same(source.Failure, warning.Exception);

        source.Failure = null;
        source.Next = [new QueueStats("photos", "ready", 2, TimeSpan.FromSeconds(1))];
        await gauges.RefreshAsync(CancellationToken.None);
        Assert.Equal([("scalegram.queue.depth", "photos/ready", 2.0), ("scalegram.queue.oldest_age", "photos/ready", 1.0)], listener.Collect());
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Information);
        Assert.Equal(2, logger.Entries.Count);
    }

    private static GaugeListener Listen(Meter meter) => new(meter);

    private sealed class GaugeListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string, string, double)> _seen = [];

        public GaugeListener(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name.StartsWith("scalegram.queue.", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
            _listener.Start();
        }

        /// <summary>Reads every observable gauge once, as an exporter's scrape would.</summary>
        public List<(string Instrument, string Series, double Value)> Collect()
        {
            _seen.Clear();
            _listener.RecordObservableInstruments();
            return [.. _seen.OrderBy(s => s.Item1, StringComparer.Ordinal).ThenBy(s => s.Item2, StringComparer.Ordinal)];
        }

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? queue = null, state = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "queue")
                {
                    queue = tag.Value as string;
                }
                else if (tag.Key == "state")
                {
                    state = tag.Value as string;
                }
            }

            _seen.Add((instrument.Name, $"{queue}/{state}", value));
        }

        public void Dispose() => _listener.Dispose();
    }

    private sealed class FakeStatsSource : IQueueStatsSource
    {
        public IReadOnlyList<QueueStats> Next { get; set; } = [];

        public Exception? Failure { get; set; }

        public Task<IReadOnlyList<QueueStats>> StatsAsync(CancellationToken ct) =>
            Failure is null ? Task.FromResult(Next) : Task.FromException<IReadOnlyList<QueueStats>>(Failure);
    }

    private sealed class RecordingLogger : ILogger<QueueGauges>
    {
        public List<(LogLevel Level, EventId EventId, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, eventId, exception));
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}
