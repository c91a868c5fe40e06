using System.Diagnostics;
using System.Globalization;
using Scalegram.Bench.Reports;
using Scalegram.Bench.Workloads;

namespace Scalegram.Bench;

/// <summary>One run: check the server, seed, drive the load at the fixed rate, then write results.json, report.md and the charts.</summary>
internal static class BenchRunner
{
    public static async Task<BenchResults> RunAsync(BenchSettings s, TextWriter log, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 4096,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        using var http = new HttpClient(handler) { BaseAddress = s.Url, Timeout = TimeSpan.FromSeconds(30) };
        await CheckReadyAsync(http, ct);

        var world = new BenchWorld(Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..6]);
        log.WriteLine("Making sample JPEGs with libvips...");
        var api = new BenchApi(http, world, SampleJpegs.Make(8));
        await BenchSeeder.SeedAsync(api, world, s.Users, api.Jpegs, ct);

        var mix = WorkloadMix.Named(s.Workload);
        var recorder = new LatencyRecorder();
        var scheduler = new OpenLoopScheduler(TimeProvider.System, s.Rate, s.Duration);
        var scraper = new MetricsScraper(http);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var scraping = scraper.RunAsync(TimeSpan.FromSeconds(1), stop.Token);
        var progress = ProgressAsync(recorder, scheduler, log, stop.Token);
        var startedAt = DateTimeOffset.UtcNow;
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Running {s.Workload} at {s.Rate:0.#}/s for {s.Duration.TotalSeconds:0.#} s ({scheduler.Planned} requests)..."));
        await scheduler.RunAsync(
            async (_, token) =>
            {
                var operation = mix.Pick(Random.Shared);
                return (operation, await api.RunAsync(operation, Random.Shared, token));
            },
            recorder,
            drain: TimeSpan.FromSeconds(30),
            ct);
        var clientCores = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu).TotalSeconds / clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await scraping;
        await progress;

        return new BenchResults(
            s.Workload,
            s.Url.ToString(),
            startedAt,
            s.Duration.TotalSeconds,
            s.Users,
            s.Rate,
            recorder.Sent / scheduler.SendElapsed.TotalSeconds,
            recorder.Sent,
            recorder.Ok,
            recorder.Sent - recorder.Ok,
            recorder.Overall(),
            recorder.Operations(),
            WithUnanswered(recorder),
            recorder.PerSecond(),
            scraper.Series(),
            clientCores,
            MachineInfo.Current());
    }

    /// <summary>Writes results.json, the charts and report.md into the output directory.</summary>
    public static async Task<string> WriteAsync(BenchResults results, string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        await results.WriteAsync(Path.Combine(directory, "results.json"), ct);
        var charts = BenchCharts.Write(results, directory);
        var report = Path.Combine(directory, "report.md");
        await File.WriteAllTextAsync(report, MarkdownReport.Write(results, charts), ct);
        return report;
    }

    private static IReadOnlyDictionary<string, long> WithUnanswered(LatencyRecorder recorder)
    {
        var kinds = new Dictionary<string, long>(recorder.ErrorKinds(), StringComparer.Ordinal);
        var unanswered = recorder.Sent - recorder.Ok - recorder.Errors;
        if (unanswered > 0)
        {
            kinds["no answer within 30 s after the run"] = unanswered;
        }

        return kinds;
    }

    private static async Task CheckReadyAsync(HttpClient http, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await http.GetAsync("/healthz/ready", timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new BenchFailed($"{http.BaseAddress} answered /healthz/ready with {(int)response.StatusCode}; is it a Scalegram web node?");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new BenchFailed($"Cannot reach {http.BaseAddress}: {e.Message} Start one with `scalegram serve`.");
        }
    }

    private static async Task ProgressAsync(LatencyRecorder recorder, OpenLoopScheduler scheduler, TextWriter log, CancellationToken ct)
    {
        var interactive = !Console.IsOutputRedirected;
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(interactive ? 1 : 5));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var line = string.Create(CultureInfo.InvariantCulture, $"  {clock.Elapsed.TotalSeconds,5:0}s  sent {recorder.Sent,7}  ok {recorder.Ok,7}  errors {recorder.Errors,5}  in flight {scheduler.InFlight,5}  p99 {recorder.CurrentP99Ms,8:0.0} ms");
                if (interactive)
                {
                    log.Write("\r" + line);
                }
                else
                {
                    log.WriteLine(line);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        if (interactive)
        {
            log.WriteLine();
        }
    }
}
