using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Scalegram.Bench.Workloads;

namespace Scalegram.Bench.Scenarios;

/// <summary>
/// `scalegram bench --scenario upload-burst`: the mixed workload runs at a fixed rate (open loop); after a warm-up a
/// burst of uploads arrives at once, and the run measures how long the burst takes to drain, each photo's
/// upload→ready time, and what the burst does to likes, follows and the social and feed queues meanwhile.
/// </summary>
internal static class UploadBurstScenario
{
    private const string WaitBuckets = "scalegram_queue_job_wait_seconds_bucket";
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DrainLimit = TimeSpan.FromMinutes(5);

    public static async Task<UploadBurstResults> RunAsync(BenchSettings s, int burst, string label, TextWriter log, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 512, UseCookies = false, AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(5) };
        using var http = new HttpClient(handler) { BaseAddress = s.Url, Timeout = TimeSpan.FromSeconds(60) };
        var world = new BenchWorld(Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..6]);
        log.WriteLine("Making sample JPEGs with libvips...");
        var api = new BenchApi(http, world, SampleJpegs.Make(8, 640, 480));
        await BenchSeeder.SeedAsync(api, world, s.Users, api.Jpegs, ct);

        var samples = new ConcurrentBag<(string Phase, string Operation, double Ms, string? Error)>();
        var phase = "warm-up";
        using var stopMixed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var mixed = MixedAsync(api, s.Rate, () => phase, samples, stopMixed.Token);

        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Mixed workload at {s.Rate:0.#}/s; warm-up {WarmUp.TotalSeconds:0} s..."));
        await Task.Delay(WarmUp, ct);

        var before = PrometheusText.Parse(await http.GetStringAsync("/metrics", ct));
        phase = "burst";
        log.WriteLine($"Burst of {burst} uploads...");
        var clock = Stopwatch.StartNew();
        var uploaded = new ConcurrentDictionary<string, double>();
        var uploadErrors = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, burst), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (i, token) =>
        {
            var (error, id) = await api.UploadAsync(world.Actor(Random.Shared).Token, api.Jpegs[i % api.Jpegs.Count], token);
            if (id is null)
            {
                uploadErrors.Add($"burst {error}");
                return;
            }

            uploaded[id] = clock.Elapsed.TotalSeconds;
        });
        var acceptedAfter = clock.Elapsed.TotalSeconds;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {uploaded.Count} accepted in {acceptedAfter:0.0} s; waiting for the pipeline..."));

        var readyAt = await WaitReadyAsync(api, uploaded, clock, log, ct);
        var drain = readyAt.Count == 0 ? double.NaN : readyAt.Values.Max();

        // Fan-out jobs are enqueued as photos turn ready: wait until every queue is empty so that the wait
        // histogram counts each job of the burst, including the last fan-outs.
        var queuesEmpty = await WaitQueuesEmptyAsync(http, clock, ct);
        phase = "after";
        await stopMixed.CancelAsync();
        await mixed;

        var after = PrometheusText.Parse(await http.GetStringAsync("/metrics", ct));
        var readyTimes = readyAt.Select(kv => kv.Value - uploaded[kv.Key]).Order().ToList();
        return new UploadBurstResults(
            label,
            burst,
            s.Rate,
            Math.Round(acceptedAfter, 2),
            Math.Round(drain, 2),
            Math.Round(queuesEmpty, 2),
            readyAt.Count,
            uploaded.Count - readyAt.Count,
            Math.Round(Quantile(readyTimes, 0.5), 2),
            Math.Round(Quantile(readyTimes, 0.99), 2),
            Figures(samples, "warm-up"),
            Figures(samples, "burst"),
            Waits(before, after),
            [.. uploadErrors.Concat(samples.Where(x => x.Error is not null).Select(x => $"{x.Phase} {x.Error}")).GroupBy(e => e).Select(g => $"{g.Count()} × {g.Key}").Order()]);
    }

    /// <summary>The mixed workload at a fixed arrival rate; each request records its phase at send time.</summary>
    private static async Task MixedAsync(BenchApi api, double rate, Func<string> phase, ConcurrentBag<(string, string, double, string?)> samples, CancellationToken ct)
    {
        var inFlight = new List<Task>();
        var interval = TimeSpan.FromSeconds(1 / rate);
        var started = Stopwatch.StartNew();
        for (long n = 0; !ct.IsCancellationRequested; n++)
        {
            var due = interval * n - started.Elapsed;
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var current = phase();
            var operation = WorkloadMix.Mixed.Pick(Random.Shared);
            inFlight.Add(Task.Run(async () =>
            {
                var sent = Stopwatch.GetTimestamp();
                string? error;
                try
                {
                    error = await api.RunAsync(operation, Random.Shared, CancellationToken.None);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    error = e.GetType().Name;
                }

                samples.Add((current, operation, Stopwatch.GetElapsedTime(sent).TotalMilliseconds, error is "no photo yet" ? null : error));
            }, CancellationToken.None));
            inFlight.RemoveAll(t => t.IsCompleted);
        }

        await Task.WhenAll(inFlight);
    }

    /// <summary>
    /// Polls the oldest photos still processing (photos are processed about in upload order) and notes when each
    /// turns ready or failed, to within the poll period.
    /// </summary>
    private static async Task<Dictionary<string, double>> WaitReadyAsync(BenchApi api, IReadOnlyDictionary<string, double> uploaded, Stopwatch clock, TextWriter log, CancellationToken ct)
    {
        var pending = uploaded.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToList();
        var readyAt = new Dictionary<string, double>();
        var lastLog = 0.0;
        while (pending.Count > 0 && clock.Elapsed < DrainLimit)
        {
            var window = pending.Take(12).ToList();
            var statuses = await Task.WhenAll(window.Select(id => api.PhotoStatusAsync(id, null, ct)));
            var now = clock.Elapsed.TotalSeconds;
            for (var i = 0; i < window.Count; i++)
            {
                if (statuses[i] is "ready" or "failed")
                {
                    readyAt[window[i]] = now;
                    pending.Remove(window[i]);
                }
            }

            if (now - lastLog >= 5)
            {
                lastLog = now;
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {now,5:0}s  ready {readyAt.Count,4} / {uploaded.Count}"));
            }

            await Task.Delay(100, ct);
        }

        return readyAt;
    }

    /// <summary>Seconds into the burst when /metrics first shows no job waiting in any queue (gauges refresh every 2 s).</summary>
    private static async Task<double> WaitQueuesEmptyAsync(HttpClient http, Stopwatch clock, CancellationToken ct)
    {
        while (clock.Elapsed < DrainLimit)
        {
            var samples = PrometheusText.Parse(await http.GetStringAsync("/metrics", ct));
            if (PrometheusText.Sum(samples, MetricsScraper.QueueDepth, ("state", "ready")) == 0)
            {
                return clock.Elapsed.TotalSeconds;
            }

            await Task.Delay(250, ct);
        }

        return double.NaN;
    }

    private static Dictionary<string, LatencyFigures> Figures(IEnumerable<(string Phase, string Operation, double Ms, string? Error)> samples, string phase) =>
        samples.Where(x => x.Phase == phase && x.Error is null)
            .GroupBy(x => x.Operation)
            .ToDictionary(g => g.Key, g =>
            {
                var ms = g.Select(x => x.Ms).Order().ToList();
                return new LatencyFigures(ms.Count, Math.Round(Quantile(ms, 0.5), 1), Math.Round(Quantile(ms, 0.99), 1), Math.Round(ms[^1], 1));
            });

    /// <summary>Per queue, the wait histogram's growth between two scrapes, read like PromQL's histogram_quantile.</summary>
    private static Dictionary<string, QueueWait> Waits(IReadOnlyList<PrometheusText.Sample> before, IReadOnlyList<PrometheusText.Sample> after)
    {
        var result = new Dictionary<string, QueueWait>(StringComparer.Ordinal);
        foreach (var queue in after.Where(x => x.Name == WaitBuckets).Select(x => x.Labels["queue"]).Distinct())
        {
            var buckets = after.Where(x => x.Name == WaitBuckets && x.Labels["queue"] == queue)
                .Select(x => (Le: Bound(x.Labels["le"]), Count: x.Value - PrometheusText.Sum(before, WaitBuckets, ("queue", queue), ("le", x.Labels["le"]))))
                .OrderBy(b => b.Le)
                .ToList();
            var total = buckets.Count == 0 ? 0 : buckets[^1].Count;
            result[queue] = new QueueWait((long)total, Math.Round(BucketQuantile(buckets, total, 0.5), 4), Math.Round(BucketQuantile(buckets, total, 0.99), 4));
        }

        return result;
    }

    private static double Bound(string le) => le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);

    private static double BucketQuantile(List<(double Le, double Count)> buckets, double total, double q)
    {
        if (total <= 0)
        {
            return double.NaN;
        }

        var rank = q * total;
        var (lower, below) = (0.0, 0.0);
        foreach (var (le, count) in buckets)
        {
            if (count >= rank)
            {
                // Past the last finite bound there is nothing to interpolate to: report that bound.
                return double.IsPositiveInfinity(le) ? lower : lower + ((le - lower) * (rank - below) / Math.Max(1e-9, count - below));
            }

            (lower, below) = (le, count);
        }

        return lower;
    }

    private static double Quantile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
