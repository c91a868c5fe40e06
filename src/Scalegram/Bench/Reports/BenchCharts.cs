using ScottPlot;

namespace Scalegram.Bench.Reports;

/// <summary>The run's PNG charts (ScottPlot): throughput, latency percentiles, errors, and the server's own figures.</summary>
internal static class BenchCharts
{
    public const int Width = 800;
    public const int Height = 360;

    /// <summary>Writes every chart into the directory and returns the file names.</summary>
    public static IReadOnlyList<string> Write(BenchResults r, string directory)
    {
        var seconds = r.PerSecond.Select(s => (double)s.Second).ToArray();
        var files = new List<string>();

        files.Add(Save(directory, "throughput.png", $"Throughput — {r.Workload}, {r.RateAsked:0.#}/s asked", "requests/s", "seconds", plot =>
        {
            Line(plot, seconds, r.PerSecond.Select(s => (double)s.Sent), "sent (scheduled)");
            Line(plot, seconds, r.PerSecond.Select(s => (double)s.Ok), "ok");
            Line(plot, seconds, r.PerSecond.Select(s => (double)s.Errors), "errors");
        }));

        files.Add(Save(directory, "latency.png", $"Latency from scheduled send — {r.Workload} at {r.RateAsked:0.#}/s", "ms", "seconds", plot =>
        {
            Line(plot, seconds, r.PerSecond.Select(s => s.P50 ?? double.NaN), "p50");
            Line(plot, seconds, r.PerSecond.Select(s => s.P99 ?? double.NaN), "p99");
            Line(plot, seconds, r.PerSecond.Select(s => s.Max ?? double.NaN), "max");
        }));

        files.Add(Save(directory, "errors.png", "Error rate", "% of completed requests", "seconds", plot =>
            Line(plot, seconds, r.PerSecond.Select(s => s.Ok + s.Errors == 0 ? 0 : 100.0 * s.Errors / (s.Ok + s.Errors)), "errors %")));

        if (r.Server.Count > 0)
        {
            var t = r.Server.Select(s => s.Second).ToArray();
            files.Add(Save(directory, "server-cache.png", "Server: cache hit ratio", "% hits", "seconds", plot =>
                Line(plot, t, r.Server.Select(s => (s.CacheHitRatio ?? double.NaN) * 100), "hit %")));
            files.Add(Save(directory, "server-queue.png", "Server: queue depth (ready jobs)", "jobs", "seconds", plot =>
                Line(plot, t, r.Server.Select(s => s.QueueDepth), "depth")));
            files.Add(Save(directory, "server-db.png", "Server: database calls", "connections opened/s", "seconds", plot =>
                Line(plot, t, r.Server.Select(s => s.DbCallsPerSecond), "DB calls/s")));
            files.Add(Save(directory, "server-cpu.png", "Server: CPU used by the process", "cores", "seconds", plot =>
                Line(plot, t, r.Server.Select(s => s.CpuCores), "cores")));
        }

        return files;
    }

    public static string Save(string directory, string file, string title, string yLabel, string xLabel, Action<Plot> draw)
    {
        var plot = new Plot();
        draw(plot);
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.XLabel(xLabel);
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        plot.Axes.SetLimitsY(0, double.IsFinite(limits.Top) && limits.Top > 0 ? limits.Top * 1.1 : 1);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(Path.Combine(directory, file), Width, Height);
        return file;
    }

    public static void Line(Plot plot, double[] xs, IEnumerable<double> ys, string label)
    {
        var values = ys.ToArray();
        if (xs.Length == 0)
        {
            return;
        }

        var line = plot.Add.Scatter(xs, values);
        line.LegendText = label;
        line.MarkerSize = 0;
        line.LineWidth = 2;
    }
}
