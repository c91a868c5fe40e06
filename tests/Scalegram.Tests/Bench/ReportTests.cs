using System.Xml.Linq;
using Scalegram.Bench;
using Scalegram.Bench.Reports;

namespace Scalegram.Tests.Bench;

public sealed class ReportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "scalegram-bench-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_run_writes_results_json_report_md_and_svg_charts_that_read_back()
    {
        var results = Results("mixed", 200, 1);
        var report = await BenchRunner.WriteAsync(results, _dir, CancellationToken.None);

        var text = await File.ReadAllTextAsync(report);
        Assert.Contains("| 200/s |", text);
        Assert.Contains("| feed |", text);
        var charts = new Dictionary<string, string[]>
        {
            ["throughput.svg"] = ["sent (scheduled)", "ok", "errors"],
            ["latency.svg"] = ["p50", "p99", "max"],
            ["errors.svg"] = ["errors %"],
            ["server-cache.svg"] = ["hit %"],
            ["server-queue.svg"] = ["depth"],
            ["server-db.svg"] = ["DB calls/s"],
            ["server-cpu.svg"] = ["cores"],
        };
        foreach (var (chart, series) in charts)
        {
            var svg = XDocument.Load(Path.Combine(_dir, chart));
            var lines = svg.Descendants(svg.Root!.Name.Namespace + "path").Where(p => p.Attribute("data-series") is not null).ToList();
            Assert.Equal(series, lines.Select(p => p.Attribute("data-series")!.Value));
            Assert.All(lines, p => Assert.StartsWith("M", p.Attribute("d")!.Value));
            Assert.Contains($"]({chart})", text);
        }

        // One point per second of the run: the latency lines go through every second.
        var p99 = XDocument.Load(Path.Combine(_dir, "latency.svg")).Descendants().Single(e => (string?)e.Attribute("data-series") == "p99");
        Assert.Equal(results.PerSecond.Count, p99.Attribute("d")!.Value.Count(c => c is 'M' or 'L'));

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
        Assert.Contains("](compare.svg)", md);
        var bars = XDocument.Load(Path.Combine(_dir, "compare.svg")).Descendants().Where(e => e.Attribute("data-series") is not null).ToList();
        Assert.Equal(8, bars.Count); // p50, p90, p99, p99.9 for A and for B
        Assert.Equal(["A: mixed 100/s", "B: mixed 100/s"], bars.Select(b => b.Attribute("data-series")!.Value).Distinct());
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
