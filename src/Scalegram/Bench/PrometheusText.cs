using System.Globalization;
using System.Text.RegularExpressions;

namespace Scalegram.Bench;

/// <summary>A small reader of the Prometheus text format: enough to sum a metric's samples by label.</summary>
internal static partial class PrometheusText
{
    public static IReadOnlyList<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var close = line.LastIndexOf('}');
            string name;
            string rest;
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (brace >= 0 && close > brace)
            {
                name = line[..brace];
                foreach (Match m in Label().Matches(line[(brace + 1)..close]))
                {
                    labels[m.Groups[1].Value] = m.Groups[2].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
                }

                rest = line[(close + 1)..].Trim();
            }
            else
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                if (space < 0)
                {
                    continue;
                }

                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }

            var valueText = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (valueText is not null && double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                samples.Add(new Sample(name, labels, value));
            }
        }

        return samples;
    }

    /// <summary>The sum of a metric's samples whose labels match every given pair.</summary>
    public static double Sum(IReadOnlyList<Sample> samples, string name, params (string Label, string Value)[] match) =>
        samples.Where(s => s.Name == name && match.All(m => s.Labels.TryGetValue(m.Label, out var v) && v == m.Value)).Sum(s => s.Value);

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=""((?:[^""\\]|\\.)*)""", RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    /// <summary>One line of the exposition: metric name, labels, value.</summary>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
