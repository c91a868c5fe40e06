using System.Text.RegularExpressions;

namespace Scalegram.SystemTests.Infrastructure;

/// <summary>Bounded polling: every wait has a deadline and fails with a message saying what never happened.</summary>
public static class Waits
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up after {timeout.TotalSeconds} s waiting for: {what}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Sums a Prometheus sample whose labels include every given label=value pair.</summary>
    public static async Task<double> MetricAsync(HttpClient node, string name, params string[] labels)
    {
        var text = await node.GetStringAsync("/metrics");
        double sum = 0;
        foreach (var line in text.Split('\n'))
        {
            var m = Regex.Match(line, $"^{Regex.Escape(name)}(\\{{[^}}]*\\}})?\\s+(\\S+)");
            if (m.Success && labels.All(l => m.Groups[1].Value.Contains(l, StringComparison.Ordinal)))
            {
                sum += double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }
}
