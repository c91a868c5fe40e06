using System.Globalization;

namespace Scalegram.Observability.Charts;

/// <summary>A grouped bar chart as hand-written SVG: a group per category, a bar per series, each bar's value above it.</summary>
internal sealed class BarChart
{
    public required string Title { get; init; }

    public string XLabel { get; init; } = "";

    public string YLabel { get; init; } = "";

    public int Width { get; init; } = 560;

    public int Height { get; init; } = 260;

    /// <summary>The chart of <paramref name="series"/>, each with one value per entry of <paramref name="categories"/>.</summary>
    public string Svg(IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series)
    {
        foreach (var s in series)
        {
            if (s.Values.Count != categories.Count)
            {
                throw new ArgumentException($"Series '{s.Label}' has {s.Values.Count} values for {categories.Count} categories.", nameof(series));
            }
        }

        var top = series.SelectMany(s => s.Values).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        var frame = new ChartFrame(Width, Height, Title, XLabel, YLabel, series.Select(s => s.Label).ToArray(), top > 0 ? top * 1.1 : 1);
        var group = (frame.Right - frame.Left) / Math.Max(1, categories.Count);
        var bar = group * 0.8 / Math.Max(1, series.Count);
        for (var c = 0; c < categories.Count; c++)
        {
            var left = frame.Left + (c * group) + (group * 0.1);
            frame.Svg.Append(CultureInfo.InvariantCulture, $"""<text x="{ChartFrame.N(frame.Left + ((c + 0.5) * group))}" y="{ChartFrame.N(frame.Bottom + 16)}" text-anchor="middle" fill="#444">{ChartFrame.Escape(categories[c])}</text>""").Append('\n');
            for (var s = 0; s < series.Count; s++)
            {
                var value = series[s].Values[c];
                if (!double.IsFinite(value))
                {
                    continue;
                }

                var x = left + (s * bar);
                var y = frame.Y(value);
                frame.Svg.Append(CultureInfo.InvariantCulture, $"""<rect data-series="{ChartFrame.Escape(series[s].Label)}" data-category="{ChartFrame.Escape(categories[c])}" x="{ChartFrame.N(x)}" y="{ChartFrame.N(y)}" width="{ChartFrame.N(bar)}" height="{ChartFrame.N(frame.Bottom - y)}" fill="{ChartFrame.Colour(s)}"/>""");
                frame.Svg.Append(CultureInfo.InvariantCulture, $"""<text x="{ChartFrame.N(x + (bar / 2))}" y="{ChartFrame.N(y - 3)}" text-anchor="middle" font-size="10" fill="#222">{value.ToString("0.##", CultureInfo.InvariantCulture)}</text>""").Append('\n');
            }
        }

        return frame.Finish();
    }
}
