using System.Globalization;

namespace Scalegram.Observability.Charts;

/// <summary>Round tick steps for an axis: 1, 2 or 5 times a power of ten, or whole clock units for time.</summary>
internal static class ChartTicks
{
    private static readonly double[] ClockSteps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

    /// <summary>The round step that cuts <paramref name="span"/> into about <paramref name="count"/> parts.</summary>
    public static double Step(double span, int count)
    {
        if (!double.IsFinite(span) || span <= 0)
        {
            return 1;
        }

        var raw = span / count;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var mantissa = raw / magnitude;
        return magnitude * (mantissa <= 1 ? 1 : mantissa <= 2 ? 2 : mantissa <= 5 ? 5 : 10);
    }

    /// <summary>The whole-clock step (seconds) that cuts a span of seconds into about <paramref name="count"/> parts.</summary>
    public static double ClockStep(double seconds, int count)
    {
        var raw = seconds / count;
        foreach (var step in ClockSteps)
        {
            if (step >= raw)
            {
                return step;
            }
        }

        return Step(seconds / 86400, count) * 86400;
    }

    /// <summary>The ticks of [<paramref name="min"/>, <paramref name="max"/>] at multiples of <paramref name="step"/>.</summary>
    public static IEnumerable<double> Between(double min, double max, double step)
    {
        var first = Math.Ceiling((min / step) - 1e-9);
        if (first == 0)
        {
            first = 0; // Ceiling(-1e-9) is -0, which would print as "-0"
        }

        for (var i = first; (i * step) <= max + (step * 1e-9); i++)
        {
            yield return i * step;
        }
    }

    /// <summary>A tick label with as many decimals as the step needs (0.5 → one, 20 → none).</summary>
    public static string Label(double value, double step)
    {
        var decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(step) - 1e-9), 0, 6);
        return Math.Round(value, decimals).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
