using Scalegram.Bench;
using Scalegram.Bench.Reports;

namespace Scalegram.Tests.Bench;

public sealed class ReportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "scalegram-bench-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_run_writes_results_json_report_md_and_png_charts_that_read_back()
    {
        var results = Results("mixed", 200, 1);
        var report = await BenchRunner.WriteAsync(results, _dir, CancellationToken.None);

        var text = await File.ReadAllTextAsync(report);
        Assert.Contains("| 200/s |", text);
        Assert.Contains("| feed |", text);
        foreach (var chart in new[] { "throughput.png", "latency.png", "errors.png", "server-cache.png", "server-queue.png", "server-db.png", "server-cpu.png" })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(_dir, chart));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
            Assert.Contains($"]({chart})", text);
        }

        var back = await BenchResults.ReadAsync(Path.Combine(_dir, "results.json"), CancellationToken.None);
        Assert.Equal(results.Sent, back.Sent);
        Assert.Equal(results.Latency.P99, back.Latency.P99);
        Assert.Equal(results.PerSecond.Count, back.PerSecond.Count);
    }

    [Fact]
    public async Task Compare_renders_two_runs_side_by_side()
    {
        Directory.CreateDirectory(_dir);
        await Results("mixed", 100, 1).WriteAsync(Path.Combine(_dir, "a.json"), CancellationToken.None);
        await Results("mixed", 100, 2).WriteAsync(Path.Combine(_dir, "b.json"), CancellationToken.None);

        var md = await File.ReadAllTextAsync(await CompareReport.WriteAsync(Path.Combine(_dir, "a.json"), Path.Combine(_dir, "b.json"), _dir, CancellationToken.None));

        Assert.Contains("| p99 (ms) |", md);
        Assert.Contains("+100%", md); // B's latencies are twice A's
        Assert.True(new FileInfo(Path.Combine(_dir, "compare.png")).Length > 1000);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>A made-up run whose latencies scale with <paramref name="slower"/>.</summary>
    private static BenchResults Results(string workload, double rate, int slower)
    {
        var recorder = new LatencyRecorder();
        for (var second = 0; second < 5; second++)
        {
            for (var i = 0; i < 100; i++)
            {
                recorder.Sending(second);
                recorder.Record(second, i % 2 == 0 ? "feed" : "like", TimeSpan.FromMilliseconds((i + 1) * slower), i == 99 ? "like: HTTP 500" : null);
            }
        }

        ServerSecond[] server = [new(1, 0.9, 0, 100, 0.5), new(2, 0.95, 2, 120, 0.7)];
        return new BenchResults(workload, "http://127.0.0.1:1/", DateTimeOffset.UnixEpoch, 5, 10, rate, rate * 0.99, recorder.Sent, recorder.Ok, recorder.Errors,
            recorder.Overall(), recorder.Operations(), recorder.ErrorKinds(), recorder.PerSecond(), server, 0.3, MachineInfo.Current());
    }
}
