using System.Collections.Concurrent;
using System.Diagnostics;

namespace Scalegram.SystemTests.Drills;

/// <summary>
/// Every operation a drill's client invoked, with what it saw: ok (acknowledged), failed (a definite
/// refusal) or unknown (no answer: it may or may not have happened). The checker reads it back after
/// recovery: every acknowledged write must be there once, nothing may be there twice.
/// </summary>
internal sealed class History
{
    private readonly ConcurrentQueue<Operation> _operations = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public IReadOnlyList<Operation> Operations => [.. _operations.OrderBy(o => o.Invoked)];

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Runs one operation and records it: ok when <paramref name="run"/> returns true, failed when false, unknown when it throws.</summary>
    public async Task RecordAsync(string kind, string key, Func<Task<(bool Ok, string Detail)>> run)
    {
        var invoked = _clock.Elapsed;
        Outcome outcome;
        string detail;
        try
        {
            (var ok, detail) = await run();
            outcome = ok ? Outcome.Ok : Outcome.Failed;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            outcome = Outcome.Unknown;
            detail = $"{e.GetType().Name}: {e.Message}";
        }

        _operations.Enqueue(new Operation(kind, key, invoked, _clock.Elapsed, outcome, detail));
    }

    public IEnumerable<Operation> Of(string kind) => Operations.Where(o => o.Kind == kind);

    /// <summary>The longest stretch between two successful operations of a kind, from <paramref name="after"/> on: how long clients saw no service.</summary>
    public TimeSpan LongestGap(string kind, TimeSpan after)
    {
        var oks = Of(kind).Where(o => o.Outcome == Outcome.Ok && o.Completed >= after).Select(o => o.Completed).Order().ToList();
        var gaps = oks.Zip(oks.Skip(1), (a, b) => b - a);
        return gaps.DefaultIfEmpty(TimeSpan.Zero).Max();
    }

    public string Summary() => string.Join("; ", Operations.GroupBy(o => o.Kind).Select(g =>
        $"{g.Key}: {g.Count(o => o.Outcome == Outcome.Ok)} ok, {g.Count(o => o.Outcome == Outcome.Failed)} failed, {g.Count(o => o.Outcome == Outcome.Unknown)} unknown"));

    public string Failures(string kind, int max = 10) => string.Join("\n", Of(kind).Where(o => o.Outcome != Outcome.Ok).Take(max).Select(o => $"{o.Invoked.TotalSeconds:0.000}s {o.Key}: {o.Outcome} {o.Detail}"));

    /// <summary>What the client saw of one operation.</summary>
    internal sealed record Operation(string Kind, string Key, TimeSpan Invoked, TimeSpan Completed, Outcome Outcome, string Detail);

    internal enum Outcome
    {
        Ok,
        Failed,
        Unknown,
    }
}
