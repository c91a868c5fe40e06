using System.Globalization;
using System.Text.RegularExpressions;

namespace Scalegram.Bench;

/// <summary>Reads durations the way people type them: 30s, 2m, 1.5h, 500ms, a bare number of seconds, or 00:01:30.</summary>
internal static partial class BenchDuration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var match = Pattern().Match(text.Trim());
        if (match.Success)
        {
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            duration = match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => TimeSpan.FromSeconds(value),
            };
            return true;
        }

        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }

    [GeneratedRegex(@"\A(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
