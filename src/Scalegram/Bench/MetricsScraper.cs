namespace Scalegram.Bench;

/// <summary>
/// Reads the server's /metrics once a second during the run, so the report can show what the
/// server saw: cache hit ratio, queue depth and DB calls. A server without /metrics gives empty series.
/// </summary>
internal sealed class MetricsScraper(HttpClient http)
{
    public const string CacheRequests = "scalegram_cache_requests_total";
    public const string QueueDepth = "scalegram_queue_depth";
    public const string DbCalls = "scalegram_db_calls_total";
    public const string CpuTime = "dotnet_process_cpu_time_seconds_total";

    private readonly List<(double Second, IReadOnlyList<PrometheusText.Sample> Samples)> _scrapes = [];

    public int Failures { get; private set; }

    public async Task RunAsync(TimeSpan period, CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        using var timer = new PeriodicTimer(period);
        do
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                var text = await http.GetStringAsync("/metrics", timeout.Token);
                _scrapes.Add(((DateTime.UtcNow - started).TotalSeconds, PrometheusText.Parse(text)));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                Failures++;
            }
        }
        while (await Tick(timer, ct));
    }

    /// <summary>Per-interval figures from consecutive scrapes (counters as rates, gauges as read).</summary>
    public IReadOnlyList<ServerSecond> Series()
    {
        var series = new List<ServerSecond>();
        for (var i = 1; i < _scrapes.Count; i++)
        {
            var (t0, a) = _scrapes[i - 1];
            var (t1, b) = _scrapes[i];
            var span = Math.Max(0.001, t1 - t0);
            var hits = PrometheusText.Sum(b, CacheRequests, ("result", "hit")) - PrometheusText.Sum(a, CacheRequests, ("result", "hit"));
            var misses = PrometheusText.Sum(b, CacheRequests, ("result", "miss")) - PrometheusText.Sum(a, CacheRequests, ("result", "miss"));
            series.Add(new ServerSecond(
                Math.Round(t1, 1),
                hits + misses > 0 ? hits / (hits + misses) : null,
                PrometheusText.Sum(b, QueueDepth, ("state", "ready")),
                (PrometheusText.Sum(b, DbCalls) - PrometheusText.Sum(a, DbCalls)) / span,
                (PrometheusText.Sum(b, CpuTime) - PrometheusText.Sum(a, CpuTime)) / span));
        }

        return series;
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken ct)
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

/// <summary>What the server reported over one scrape interval; CpuCores is the server process's CPU time per second.</summary>
internal sealed record ServerSecond(double Second, double? CacheHitRatio, double QueueDepth, double DbCallsPerSecond, double CpuCores);
