using System.Diagnostics.Metrics;
using Scalegram.Messaging;
using Scalegram.Observability;

namespace Scalegram.Messaging;

/// <summary>
/// Publishes queue depth and oldest-job age as gauges. Gauge callbacks must not block, so the
/// figures are read from the stores every few seconds in the background.
/// </summary>
internal sealed class QueueGauges : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    // Every queue shows (at 0 when empty), so dashboards and alerts see a series from the start.
    private readonly IReadOnlyList<string> _knownQueues;
    private readonly IQueueStatsSource _queue;
    private readonly ILogger<QueueGauges> _logger;
    private volatile IReadOnlyList<QueueStats> _latest = [];
    private bool _failing;

    public QueueGauges(IQueueStatsSource queue, JobCatalog catalog, ScalegramMetrics metrics, ILogger<QueueGauges> logger)
    {
        _knownQueues = catalog.Queues;
        _queue = queue;
        _logger = logger;
        metrics.Meter.CreateObservableGauge("scalegram.queue.depth", () =>
            _latest.Select(s => new Measurement<long>(s.Depth, new("queue", s.Queue), new("state", s.State))), "{job}", "Jobs waiting, by queue and state (ready, dead; on RabbitMQ also unpublished: outbox rows not yet relayed).");
        metrics.Meter.CreateObservableGauge("scalegram.queue.oldest_age", () =>
            _latest.Where(s => s.State != "dead" && s.OldestAge is not null)
                .Select(s => new Measurement<double>(s.OldestAge!.Value.TotalSeconds, new("queue", s.Queue), new("state", s.State))), "s", "Age of the oldest waiting job.");
    }

    public IReadOnlyList<QueueStats> Latest => _latest;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            await RefreshAsync(stoppingToken);
        }
        while (await TickAsync(timer, stoppingToken));
    }

    /// <summary>
    /// One read of the figures (the loop calls this every period; tests call it directly). When the read
    /// fails the gauges report no series at all until a read succeeds: repeating the last figures would
    /// hide the outage, while a missing series shows in absent() and staleness. Logged once per outage.
    /// </summary>
    internal async Task RefreshAsync(CancellationToken ct)
    {
        try
        {
            _latest = WithEmptyQueues(await _queue.StatsAsync(ct));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _latest = [];
            if (!_failing)
            {
                _failing = true;
                Log.QueueStatsUnavailable(_logger, e);
            }

            return;
        }

        if (_failing)
        {
            _failing = false;
            Log.QueueStatsRecovered(_logger);
        }
    }

    /// <summary>An empty queue reports depth 0 rather than vanishing, so dashboards and alerts always see the series.</summary>
    private IReadOnlyList<QueueStats> WithEmptyQueues(IReadOnlyList<QueueStats> stats) =>
        [.. stats, .. _knownQueues.Where(q => !stats.Any(s => s.Queue == q && s.State == "ready")).Select(q => new QueueStats(q, "ready", 0, TimeSpan.Zero))];

    private static async Task<bool> TickAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
