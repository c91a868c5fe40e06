using System.Globalization;
using System.Text.Json;

namespace Scalegram.Bench.Scenarios;

/// <summary>
/// What one upload-burst run measured: the burst's drain time and upload→ready times, interactive request latency
/// before and during the burst, and how long each queue's jobs waited (from the server's wait histogram).
/// </summary>
internal sealed record UploadBurstResults(
    string Label,
    int Burst,
    double MixedRate,
    double UploadsAcceptedSeconds,
    double DrainSeconds,
    double QueuesEmptySeconds,
    int Ready,
    int NotReady,
    double ReadyP50Seconds,
    double ReadyP99Seconds,
    IReadOnlyDictionary<string, LatencyFigures> WarmUp,
    IReadOnlyDictionary<string, LatencyFigures> DuringBurst,
    IReadOnlyDictionary<string, QueueWait> QueueWaits,
    IReadOnlyList<string> Errors)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public async Task WriteAsync(string path, CancellationToken ct)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, this, Json, ct);
    }

    /// <summary>The one-line summary run.sh collects into its table.</summary>
    public string Summary()
    {
        static string Ms(IReadOnlyDictionary<string, LatencyFigures> figures, string op) =>
            figures.TryGetValue(op, out var f) ? string.Create(CultureInfo.InvariantCulture, $"{f.P99Ms:0} ms (n={f.Count})") : "–";

        static string Wait(IReadOnlyDictionary<string, QueueWait> waits, string queue) =>
            waits.TryGetValue(queue, out var w) && w.Jobs > 0 ? string.Create(CultureInfo.InvariantCulture, $"{w.P99Seconds:0.###} s (n={w.Jobs})") : "–";

        return string.Create(CultureInfo.InvariantCulture,
            $"| {Label} | {Burst} | {DrainSeconds:0.0} / {QueuesEmptySeconds:0.0} s | {ReadyP50Seconds:0.0} / {ReadyP99Seconds:0.0} s | {Ms(WarmUp, "like")} | {Ms(DuringBurst, "like")} | {Ms(DuringBurst, "follow")} | {Wait(QueueWaits, "social")} | {Wait(QueueWaits, "feed")} | {Wait(QueueWaits, "photos")} | {(Errors.Count == 0 ? "0" : string.Join("; ", Errors))} |");
    }

    public const string SummaryHeader =
        "| run | burst | photos ready / all queues empty | upload→ready p50 / p99 | like p99 before burst | like p99 during | follow p99 during | social job wait p99 | feed (fan-out) job wait p99 | photos job wait p99 | errors |\n" +
        "|---|---|---|---|---|---|---|---|---|---|---|";
}

/// <summary>Client-side latency of one operation in one phase.</summary>
internal sealed record LatencyFigures(long Count, double P50Ms, double P99Ms, double MaxMs);

/// <summary>How long a queue's jobs waited between enqueue and start during the burst (server histogram, interpolated like histogram_quantile).</summary>
internal sealed record QueueWait(long Jobs, double P50Seconds, double P99Seconds);
