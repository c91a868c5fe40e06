using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scalegram.Bench;

/// <summary>The machine-readable outcome of a run (results.json); --compare reads two of these.</summary>
internal sealed record BenchResults(
    string Workload,
    string Url,
    DateTimeOffset StartedAt,
    double DurationSeconds,
    int Users,
    double RateAsked,
    double RateAchieved,
    long Sent,
    long Ok,
    long Errors,
    Percentiles Latency,
    IReadOnlyDictionary<string, OperationSummary> Operations,
    IReadOnlyDictionary<string, long> ErrorKinds,
    IReadOnlyList<SecondSummary> PerSecond,
    IReadOnlyList<ServerSecond> Server,
    double ClientCpuCores,
    MachineInfo Machine)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public double ErrorRate => Sent == 0 ? 0 : (double)Errors / Sent;

    public static async Task<BenchResults> ReadAsync(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<BenchResults>(file, Json, ct) ?? throw new BenchFailed($"{path} is empty.");
    }

    public async Task WriteAsync(string path, CancellationToken ct)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, this, Json, ct);
    }
}

/// <summary>Where the load generator ran: results from different machines do not compare.</summary>
internal sealed record MachineInfo(string Host, int Cores, string Cpu, string Os, string Runtime)
{
    public static MachineInfo Current() => new(
        Environment.MachineName,
        Environment.ProcessorCount,
        CpuModel(),
        System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }
}
