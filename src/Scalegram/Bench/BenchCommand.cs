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
    private static readonly Option<string?> Scenario = new("--scenario") { Description = "upload-burst: the mixed workload at --rate, then a burst of --burst uploads at once; measures drain time, upload→ready, and likes, follows and queue waits during the burst." };
    private static readonly Option<string> Burst = new("--burst") { Description = "Uploads in the burst (--scenario upload-burst).", DefaultValueFactory = _ => "500" };
    private static readonly Option<string> Label = new("--label") { Description = "The run's name in the summary line (--scenario upload-burst), e.g. before or after.", DefaultValueFactory = _ => "run" };
    private static readonly Option<string[]> Compare = new("--compare") { Description = "Compare two runs: --compare A/results.json B/results.json (writes into --out, default .).", AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.ZeroOrMore };

    public static Command Create()
    {
        var command = new Command("bench", "Load-test a running Scalegram at a fixed arrival rate and write a report with charts.")
        {
            Url, Rate, Duration, Users, Workload, Out, Compare, Scenario, Burst, Label,
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

            if (parse.GetValue(Scenario) is { } scenario)
            {
                return await ScenarioAsync(parse, scenario, ct);
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

    private static async Task<int> ScenarioAsync(ParseResult parse, string scenario, CancellationToken ct)
    {
        if (scenario != "upload-burst")
        {
            return await Fail($"--scenario must be upload-burst (got '{scenario}').");
        }

        if (!int.TryParse(parse.GetValue(Burst), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var burst) || burst is < 1 or > 100_000)
        {
            return await Fail($"--burst must be a whole number from 1 to 100000 (got '{parse.GetValue(Burst)}').");
        }

        var (settings, error) = BenchSettings.Parse(parse.GetValue(Url), parse.GetValue(Rate), "30s", parse.GetValue(Users), "mixed", parse.GetValue(Out) ?? Path.Combine("bench-results", $"upload-burst-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}"), DateTimeOffset.UtcNow);
        if (settings is null)
        {
            return await Fail(error!);
        }

        var results = await Scenarios.UploadBurstScenario.RunAsync(settings, burst, parse.GetValue(Label) ?? "run", Console.Out, ct);
        Directory.CreateDirectory(settings.OutDirectory);
        var file = Path.Combine(settings.OutDirectory, "upload-burst.json");
        await results.WriteAsync(file, ct);
        Console.WriteLine(Scenarios.UploadBurstResults.SummaryHeader);
        Console.WriteLine(results.Summary());
        Console.WriteLine($"Results: {file}");
        return 0;
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
