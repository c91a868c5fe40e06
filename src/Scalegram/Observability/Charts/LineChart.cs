using System.Globalization;
using System.Text;

namespace Scalegram.Observability.Charts;

/// <summary>A line chart as hand-written SVG: one path per series over shared x positions, with gaps where a value is missing.</summary>
internal sealed class LineChart
{
    public required string Title { get; init; }

    public string XLabel { get; init; } = "";

    public string YLabel { get; init; } = "";

    /// <summary>The x positions are Unix seconds; ticks are labelled with the UTC clock time.</summary>
    public bool TimeAxis { get; init; }

    public int Width { get; init; } = 560;

    public int Height { get; init; } = 260;

    /// <summary>The chart of <paramref name="series"/>, each with one value per entry of <paramref name="xs"/>.</summary>
    public string Svg(IReadOnlyList<double> xs, IReadOnlyList<ChartSeries> series)
    {
        foreach (var s in series)
        {
            if (s.Values.Count != xs.Count)
            {
                throw new ArgumentException($"Series '{s.Label}' has {s.Values.Count} values for {xs.Count} x positions.", nameof(series));
            }
        }

        var values = series.SelectMany(s => s.Values).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        var top = values.Max();
        var frame = new ChartFrame(Width, Height, Title, XLabel, YLabel, series.Select(s => s.Label).ToArray(), top > 0 ? top * 1.05 : 1);
        var (min, max) = xs.Count == 0 ? (0.0, 1.0) : (xs.Min(), xs.Max());
        if (max <= min)
        {
            var pad = TimeAxis ? 30 : 1; // one sample: centre it in a minute (or in two units)
            (min, max) = (min - pad, max + pad);
        }

        double X(double x) => frame.Left + ((x - min) / (max - min) * (frame.Right - frame.Left));

        if (xs.Count > 0)
        {
            DrawXTicks(frame, min, max, X);
        }

        for (var i = 0; i < series.Count; i++)
        {
            var path = Path(xs, series[i].Values, X, frame.Y);
            frame.Svg.Append(CultureInfo.InvariantCulture, $"""<path data-series="{ChartFrame.Escape(series[i].Label)}" d="{path}" fill="none" stroke="{ChartFrame.Colour(i)}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>""").Append('\n');
        }

        if (xs.Count == 0)
        {
            frame.Note("no data yet");
        }

        return frame.Finish();
    }

    /// <summary>M/L path data; a run of one point becomes a dot (a zero-length segment with round caps).</summary>
    private static string Path(IReadOnlyList<double> xs, IReadOnlyList<double> ys, Func<double, double> x, Func<double, double> y)
    {
        var d = new StringBuilder();
        var run = 0;
        for (var i = 0; i < xs.Count; i++)
        {
            if (!double.IsFinite(ys[i]))
            {
                EndRun(d, run);
                run = 0;
                continue;
            }

            d.Append(run == 0 ? 'M' : 'L').Append(ChartFrame.N(x(xs[i]))).Append(' ').Append(ChartFrame.N(y(ys[i])));
            run++;
        }

        EndRun(d, run);
        return d.ToString();
    }

    private static void EndRun(StringBuilder d, int run)
    {
        if (run == 1)
        {
            d.Append("h0");
        }
    }

    private void DrawXTicks(ChartFrame frame, double min, double max, Func<double, double> x)
    {
        var step = TimeAxis ? ChartTicks.ClockStep(max - min, 6) : ChartTicks.Step(max - min, 8);
        foreach (var tick in ChartTicks.Between(min, max, step))
        {
            var label = TimeAxis
                ? DateTimeOffset.UnixEpoch.AddSeconds(tick).ToString(step < 60 ? "HH:mm:ss" : "HH:mm", CultureInfo.InvariantCulture)
                : ChartTicks.Label(tick, step);
            var at = ChartFrame.N(x(tick));
            frame.Svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{at}" y1="{ChartFrame.N(frame.Bottom)}" x2="{at}" y2="{ChartFrame.N(frame.Bottom + 4)}" stroke="#444"/>""");
            frame.Svg.Append(CultureInfo.InvariantCulture, $"""<text x="{at}" y="{ChartFrame.N(frame.Bottom + 16)}" text-anchor="middle" fill="#444">{label}</text>""").Append('\n');
        }
    }
}
