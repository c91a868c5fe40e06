using System.Globalization;
using System.Text;
using Scalegram.Observability.Charts;

namespace Scalegram.Bench.Reports;

/// <summary>Two runs side by side (compare.md and compare.svg), the way the ladder report compares rungs.</summary>
internal static class CompareReport
{
    public static async Task<string> WriteAsync(string pathA, string pathB, string directory, CancellationToken ct)
    {
        var a = await BenchResults.ReadAsync(pathA, ct);
        var b = await BenchResults.ReadAsync(pathB, ct);
        Directory.CreateDirectory(directory);
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("# scalegram bench: comparison");
        md.AppendLine();
        md.AppendLine(c, $"- A: `{pathA}` — {a.Workload} against {a.Url}, {a.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine(c, $"- B: `{pathB}` — {b.Workload} against {b.Url}, {b.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine("| figure | A | B | B vs A |");
        md.AppendLine("|---|---:|---:|---:|");
        Row(md, "rate asked (/s)", a.RateAsked, b.RateAsked, "0.#");
        Row(md, "rate achieved (/s)", a.RateAchieved, b.RateAchieved, "0.#");
        Row(md, "error rate (%)", a.ErrorRate * 100, b.ErrorRate * 100, "0.00");
        Row(md, "p50 (ms)", a.Latency.P50, b.Latency.P50, "0.00");
        Row(md, "p90 (ms)", a.Latency.P90, b.Latency.P90, "0.00");
        Row(md, "p99 (ms)", a.Latency.P99, b.Latency.P99, "0.00");
        Row(md, "p99.9 (ms)", a.Latency.P999, b.Latency.P999, "0.00");
        Row(md, "max (ms)", a.Latency.Max, b.Latency.Max, "0.00");
        md.AppendLine();
        md.AppendLine("![comparison](compare.svg)");
        await File.WriteAllTextAsync(Path.Combine(directory, "compare.md"), md.ToString(), ct);

        var chart = new BarChart { Title = "Latency percentiles, A vs B", YLabel = "ms", Width = BenchCharts.Width, Height = BenchCharts.Height };
        string[] percentiles = ["p50", "p90", "p99", "p99.9"];
        var svg = chart.Svg(percentiles, [
            new($"A: {a.Workload} {a.RateAsked:0.#}/s", [a.Latency.P50, a.Latency.P90, a.Latency.P99, a.Latency.P999]),
            new($"B: {b.Workload} {b.RateAsked:0.#}/s", [b.Latency.P50, b.Latency.P90, b.Latency.P99, b.Latency.P999]),
        ]);
        await File.WriteAllTextAsync(Path.Combine(directory, "compare.svg"), svg, ct);
        return Path.Combine(directory, "compare.md");
    }

    private static void Row(StringBuilder md, string name, double a, double b, string format)
    {
        var change = a == 0 ? "–" : ((b - a) / a).ToString("+0%;-0%;0%", CultureInfo.InvariantCulture);
        md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {a.ToString(format, CultureInfo.InvariantCulture)} | {b.ToString(format, CultureInfo.InvariantCulture)} | {change} |");
    }
}
