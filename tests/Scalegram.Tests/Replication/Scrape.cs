using System.Globalization;
using System.Text.RegularExpressions;

namespace Scalegram.Tests.Replication;

/// <summary>Reads series out of a node's /metrics (Prometheus text format).</summary>
internal static class Scrape
{
    /// <summary>The sum of every sample of <paramref name="series"/> whose labels contain all of <paramref name="labels"/>.</summary>
    public static async Task<double> SumAsync(HttpClient client, string series, params string[] labels)
    {
        var text = await client.GetStringAsync("/metrics");
        return Samples(text, series).Where(s => labels.All(s.Labels.Contains)).Sum(s => s.Value);
    }

    public static IEnumerable<(string Labels, double Value)> Samples(string text, string series) =>
        Regex.Matches(text, $@"(?m)^{Regex.Escape(series)}(\{{[^}}]*\}})?\s+(\S+)")
            .Select(m => (m.Groups[1].Value, double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
}
