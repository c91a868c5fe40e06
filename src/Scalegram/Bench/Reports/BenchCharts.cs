using Scalegram.Observability.Charts;

namespace Scalegram.Bench.Reports;

/// <summary>The run's SVG charts (<see cref="LineChart"/>): throughput, latency percentiles, errors, and the server's own figures.</summary>
internal static class BenchCharts
{
    public const int Width = 800;
    public const int Height = 360;

    /// <summary>Writes every chart into the directory and returns the file names.</summary>
    public static IReadOnlyList<string> Write(BenchResults r, string directory)
    {
        var seconds = r.PerSecond.Select(s => (double)s.Second).ToArray();
        ChartSeries PerSecond(string label, Func<SecondSummary, double> value) => new(label, r.PerSecond.Select(value).ToArray());
        var files = new List<string>
        {
            Save(directory, "throughput.svg", $"Throughput — {r.Workload}, {r.RateAsked:0.#}/s asked", "requests/s", seconds,
                PerSecond("sent (scheduled)", s => s.Sent), PerSecond("ok", s => s.Ok), PerSecond("errors", s => s.Errors)),
            Save(directory, "latency.svg", $"Latency from scheduled send — {r.Workload} at {r.RateAsked:0.#}/s", "ms", seconds,
                PerSecond("p50", s => s.P50 ?? double.NaN), PerSecond("p99", s => s.P99 ?? double.NaN), PerSecond("max", s => s.Max ?? double.NaN)),
            Save(directory, "errors.svg", "Error rate", "% of completed requests", seconds,
                PerSecond("errors %", s => s.Ok + s.Errors == 0 ? 0 : 100.0 * s.Errors / (s.Ok + s.Errors))),
        };

        if (r.Server.Count > 0)
        {
            var t = r.Server.Select(s => s.Second).ToArray();
            ChartSeries Server(string label, Func<ServerSecond, double> value) => new(label, r.Server.Select(value).ToArray());
            files.Add(Save(directory, "server-cache.svg", "Server: cache hit ratio", "% hits", t, Server("hit %", s => (s.CacheHitRatio ?? double.NaN) * 100)));
            files.Add(Save(directory, "server-queue.svg", "Server: queue depth (ready jobs)", "jobs", t, Server("depth", s => s.QueueDepth)));
            files.Add(Save(directory, "server-db.svg", "Server: database calls", "connections opened/s", t, Server("DB calls/s", s => s.DbCallsPerSecond)));
            files.Add(Save(directory, "server-cpu.svg", "Server: CPU used by the process", "cores", t, Server("cores", s => s.CpuCores)));
        }

        return files;
    }

    private static string Save(string directory, string file, string title, string yLabel, double[] seconds, params ChartSeries[] series)
    {
        var chart = new LineChart { Title = title, XLabel = "seconds", YLabel = yLabel, Width = Width, Height = Height };
        File.WriteAllText(Path.Combine(directory, file), chart.Svg(seconds, series));
        return file;
    }
}
