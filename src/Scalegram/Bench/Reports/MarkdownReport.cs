using System.Globalization;
using System.Text;

namespace Scalegram.Bench.Reports;

/// <summary>report.md: the run's figures for a person, with the charts beside it.</summary>
internal static class MarkdownReport
{
    public static string Write(BenchResults r, IReadOnlyList<string> charts)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"# scalegram bench: {r.Workload}");
        md.AppendLine();
        md.AppendLine(c, $"{r.StartedAt:yyyy-MM-dd HH:mm} UTC against {r.Url}; {r.DurationSeconds:0.#} s at a fixed arrival rate (open loop) of {r.RateAsked:0.#} requests/s; {r.Users} seeded users.");
        md.AppendLine(c, $"Load generator: {r.Machine.Cores} cores ({r.Machine.Cpu}), {r.Machine.Os}, {r.Machine.Runtime}. Latency is measured from each request's scheduled send time, so a stalled server shows as latency (no coordinated omission).");
        md.AppendLine(c, $"The load generator itself used {r.ClientCpuCores:0.00} CPU cores during the run (it competes with the server when both run on one machine).");
        md.AppendLine();
        md.AppendLine("| rate asked | rate achieved | sent | ok | errors | p50 | p90 | p99 | p99.9 | max |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var l = r.Latency;
        md.AppendLine(c, $"| {r.RateAsked:0.#}/s | {r.RateAchieved:0.#}/s | {r.Sent} | {r.Ok} | {r.Errors} ({r.ErrorRate:P2}) | {Ms(l.P50)} | {Ms(l.P90)} | {Ms(l.P99)} | {Ms(l.P999)} | {Ms(l.Max)} |");
        md.AppendLine();
        md.AppendLine("## By operation");
        md.AppendLine();
        md.AppendLine("| operation | count | errors | p50 | p99 | max |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, op) in r.Operations)
        {
            md.AppendLine(c, $"| {name} | {op.Count} | {op.Errors} | {Ms(op.Latency.P50)} | {Ms(op.Latency.P99)} | {Ms(op.Latency.Max)} |");
        }

        if (r.ErrorKinds.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Errors");
            md.AppendLine();
            foreach (var (kind, count) in r.ErrorKinds.OrderByDescending(e => e.Value))
            {
                md.AppendLine(c, $"- {kind}: {count}");
            }
        }

        if (r.Server.Count > 0)
        {
            var ratios = r.Server.Where(s => s.CacheHitRatio is not null).Select(s => s.CacheHitRatio!.Value).ToList();
            md.AppendLine();
            md.AppendLine("## What the server reported (/metrics, every second)");
            md.AppendLine();
            md.AppendLine(c, $"- cache hit ratio: {(ratios.Count == 0 ? "n/a" : ratios.Average().ToString("P1", c))} on average");
            md.AppendLine(c, $"- queue depth: max {r.Server.Max(s => s.QueueDepth):0} ready jobs");
            md.AppendLine(c, $"- database calls: {r.Server.Average(s => s.DbCallsPerSecond):0} connections opened per second on average");
            var cpuSeconds = r.Server.Zip(r.Server.Skip(1), (a, b) => b.CpuCores * (b.Second - a.Second)).Sum();
            md.AppendLine(c, $"- server CPU: {r.Server.Average(s => s.CpuCores):0.00} cores on average, peak {r.Server.Max(s => s.CpuCores):0.00}; about {(r.Ok == 0 ? 0 : 1000 * cpuSeconds / r.Ok):0.0} ms of server CPU per request");
        }

        md.AppendLine();
        md.AppendLine("## Charts");
        md.AppendLine();
        foreach (var chart in charts)
        {
            md.AppendLine(c, $"![{Path.GetFileNameWithoutExtension(chart)}]({chart})");
        }

        return md.ToString();
    }

    public static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";
}
