using System.CommandLine;
using Scalegram.Bench.Reports;
using Scalegram.Bench.Workloads;

namespace Scalegram.Bench;

/// <summary>
/// `scalegram bench`: drives a running Scalegram at a fixed arrival rate and writes a report, or
/// (--compare A.json B.json) renders two runs side by side. Bad options exit with code 2.
/// </summary>
internal static class BenchCommand
{
    public const int BadOptions = 2;

    private static readonly Option<string> Url = new("--url") { Description = "The Scalegram web node (or load balancer) to drive.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
    private static readonly Option<string> Rate = new("--rate") { Description = "Requests per second, sent on schedule whatever the server does (open loop).", DefaultValueFactory = _ => "100" };
    private static readonly Option<string> Duration = new("--duration") { Description = "How long to send: 30s, 2m, 1h.", DefaultValueFactory = _ => "30s" };
    private static readonly Option<string> Users = new("--users") { Description = "Users to seed before the load starts.", DefaultValueFactory = _ => "100" };
    private static readonly Option<string> Workload = new("--workload") { Description = "read-heavy, upload or mixed.", DefaultValueFactory = _ => "mixed" };
    private static readonly Option<string?> Out = new("--out") { Description = "Where to write report.md, results.json and the charts (default bench-results/WORKLOAD-TIME)." };
    private static readonly Option<string[]> Compare = new("--compare") { Description = "Compare two runs: --compare A/results.json B/results.json (writes into --out, default .).", AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.ZeroOrMore };

    public static Command Create()
    {
        var command = new Command("bench", "Load-test a running Scalegram at a fixed arrival rate and write a report with charts.")
        {
            Url, Rate, Duration, Users, Workload, Out, Compare,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        if (parse.UnmatchedTokens.Count > 0)
        {
            return await Fail($"Unknown option or argument: {string.Join(" ", parse.UnmatchedTokens)}. See `scalegram bench --help`.");
        }

        try
        {
            if (parse.GetValue(Compare) is { Length: > 0 } compare)
            {
                return await CompareAsync(compare, parse.GetValue(Out) ?? ".", ct);
            }

            var (settings, error) = BenchSettings.Parse(parse.GetValue(Url), parse.GetValue(Rate), parse.GetValue(Duration), parse.GetValue(Users), parse.GetValue(Workload), parse.GetValue(Out), DateTimeOffset.UtcNow);
            if (settings is null)
            {
                return await Fail(error!);
            }

            var results = await BenchRunner.RunAsync(settings, Console.Out, ct);
            var report = await BenchRunner.WriteAsync(results, settings.OutDirectory, ct);
            var l = results.Latency;
            Console.WriteLine($"Done: {results.Sent} sent at {results.RateAchieved:0.#}/s (asked {results.RateAsked:0.#}/s), {results.Ok} ok, {results.Errors} errors ({results.ErrorRate:P2}).");
            Console.WriteLine($"Latency p50 {MarkdownReport.Ms(l.P50)}, p90 {MarkdownReport.Ms(l.P90)}, p99 {MarkdownReport.Ms(l.P99)}, p99.9 {MarkdownReport.Ms(l.P999)}, max {MarkdownReport.Ms(l.Max)}.");
            Console.WriteLine($"Report: {report}");
            return 0;
        }
        catch (BenchFailed e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    private static async Task<int> CompareAsync(string[] files, string outDirectory, CancellationToken ct)
    {
        if (files.Length != 2)
        {
            return await Fail($"--compare takes exactly two results.json files (got {files.Length}).");
        }

        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                return await Fail($"--compare: no such file '{file}'.");
            }
        }

        try
        {
            var report = await CompareReport.WriteAsync(files[0], files[1], Path.GetFullPath(outDirectory), ct);
            Console.WriteLine($"Comparison: {report}");
            return 0;
        }
        catch (System.Text.Json.JsonException e)
        {
            return await Fail($"--compare: a file is not a bench results.json ({e.Message}).");
        }
    }

    private static async Task<int> Fail(string message)
    {
        await Console.Error.WriteLineAsync(message);
        return BadOptions;
    }
}
