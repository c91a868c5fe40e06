using System.Globalization;

namespace Scalegram.Bench;

/// <summary>What one `scalegram bench` run does, checked before anything is sent.</summary>
internal sealed record BenchSettings(Uri Url, double Rate, TimeSpan Duration, int Users, string Workload, string OutDirectory)
{
    public static readonly IReadOnlyList<string> Workloads = ["read-heavy", "upload", "mixed"];

    /// <summary>Validates the raw option values; the error names the option and what it accepts.</summary>
    public static (BenchSettings? Settings, string? Error) Parse(string? url, string? rate, string? duration, string? users, string? workload, string? outDirectory, DateTimeOffset now)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return (null, $"--url must be an http(s) address such as http://127.0.0.1:8080 (got '{url}').");
        }

        if (!double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var perSecond) || perSecond is <= 0 or > 100_000 || double.IsNaN(perSecond))
        {
            return (null, $"--rate must be requests per second, more than 0 and at most 100000 (got '{rate}').");
        }

        if (!BenchDuration.TryParse(duration, out var span) || span < TimeSpan.FromSeconds(1) || span > TimeSpan.FromHours(24))
        {
            return (null, $"--duration must be between 1s and 24h, e.g. 30s, 2m or 1h (got '{duration}').");
        }

        if (!int.TryParse(users, NumberStyles.Integer, CultureInfo.InvariantCulture, out var userCount) || userCount is < 2 or > 100_000)
        {
            return (null, $"--users must be a whole number from 2 to 100000 (got '{users}').");
        }

        if (workload is null || !Workloads.Contains(workload))
        {
            return (null, $"--workload must be one of {string.Join(", ", Workloads)} (got '{workload}').");
        }

        if (span.TotalSeconds * perSecond < 1)
        {
            return (null, "--rate times --duration must come to at least one request.");
        }

        var output = string.IsNullOrWhiteSpace(outDirectory)
            ? Path.Combine("bench-results", $"{workload}-{now:yyyyMMdd-HHmmss}")
            : outDirectory;
        return (new BenchSettings(uri, perSecond, span, userCount, workload, Path.GetFullPath(output)), null);
    }
}
