using System.Globalization;
using System.Security;
using System.Text;

namespace Scalegram.Observability.Charts;

/// <summary>What every chart shares: the SVG canvas, title, legend, a y axis from zero with grid lines, axis labels.</summary>
internal sealed class ChartFrame
{
    /// <summary>Series colours, in order (the Tableau/Matplotlib ten, first six).</summary>
    public static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

    private const double CharWidth = 6.5; // an 11 px sans-serif character, near enough to lay out a legend
    private readonly StringBuilder _svg = new();

    /// <summary>Opens the SVG and draws everything but the data; <paramref name="top"/> is the largest value to fit.</summary>
    public ChartFrame(int width, int height, string title, string xLabel, string yLabel, IReadOnlyList<string> legend, double top)
    {
        var rows = LegendRows(legend, width - 70);
        Left = 62;
        Right = width - 28; // room for half of the last x tick's label
        Top = 34 + (rows.Count * 16);
        Bottom = height - 42;
        YStep = ChartTicks.Step(double.IsFinite(top) && top > 0 ? top : 1, 5);
        YMax = Math.Max(YStep, Math.Ceiling((top / YStep) - 1e-9) * YStep);

        _svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11" role="img" aria-label="{Escape(title)}">""").Append('\n');
        _svg.Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title>\n");
        _svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{width}" height="{height}" fill="#fff"/>""").Append('\n');
        _svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(width / 2.0)}" y="20" text-anchor="middle" font-size="14" font-weight="bold">{Escape(title)}</text>""").Append('\n');
        DrawLegend(rows);
        foreach (var tick in ChartTicks.Between(0, YMax, YStep))
        {
            var y = Y(tick);
            _svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{N(Left)}" y1="{N(y)}" x2="{N(Right)}" y2="{N(y)}" stroke="#e5e5e5"/>""");
            _svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(Left - 6)}" y="{N(y + 4)}" text-anchor="end" fill="#444">{ChartTicks.Label(tick, YStep)}</text>""").Append('\n');
        }

        _svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(width / 2.0)}" y="{height - 6}" text-anchor="middle" fill="#444">{Escape(xLabel)}</text>""").Append('\n');
        var middle = N((Top + Bottom) / 2);
        _svg.Append(CultureInfo.InvariantCulture, $"""<text x="14" y="{middle}" text-anchor="middle" fill="#444" transform="rotate(-90 14 {middle})">{Escape(yLabel)}</text>""").Append('\n');
    }

    public double Left { get; }

    public double Right { get; }

    public double Top { get; }

    public double Bottom { get; }

    public double YMax { get; }

    public double YStep { get; }

    /// <summary>Where the chart draws its data, between the grid and the axis lines.</summary>
    public StringBuilder Svg => _svg;

    /// <summary>Escapes text for XML content or attributes (&amp;, &lt;, &gt;, quotes).</summary>
    public static string Escape(string text) => SecurityElement.Escape(text);

    /// <summary>A coordinate: invariant culture, two decimals at most.</summary>
    public static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The colour of the series at <paramref name="index"/>.</summary>
    public static string Colour(int index) => Palette[index % Palette.Length];

    /// <summary>The vertical position of a value.</summary>
    public double Y(double value) => Bottom - (Math.Clamp(value, 0, YMax) / YMax * (Bottom - Top));

    /// <summary>Writes a note in the middle of the plot area (e.g. that there is no data yet).</summary>
    public void Note(string text) =>
        _svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N((Left + Right) / 2)}" y="{N((Top + Bottom) / 2)}" text-anchor="middle" fill="#888">{Escape(text)}</text>""").Append('\n');

    /// <summary>Draws the axis lines over the data and closes the SVG.</summary>
    public string Finish()
    {
        _svg.Append(CultureInfo.InvariantCulture, $"""<path d="M{N(Left)} {N(Top)}V{N(Bottom)}H{N(Right)}" fill="none" stroke="#444"/>""").Append('\n');
        _svg.Append("</svg>\n");
        return _svg.ToString();
    }

    private static List<List<(int Index, string Label)>> LegendRows(IReadOnlyList<string> legend, double room)
    {
        var rows = new List<List<(int, string)>>();
        var used = double.MaxValue;
        for (var i = 0; i < legend.Count; i++)
        {
            var needs = ItemWidth(legend[i]);
            if (used + needs > room)
            {
                rows.Add([]);
                used = 0;
            }

            rows[^1].Add((i, legend[i]));
            used += needs;
        }

        return rows;
    }

    private static double ItemWidth(string label) => 30 + (label.Length * CharWidth);

    private void DrawLegend(List<List<(int Index, string Label)>> rows)
    {
        for (var row = 0; row < rows.Count; row++)
        {
            var x = Left;
            var y = 38 + (row * 16);
            foreach (var (index, label) in rows[row])
            {
                _svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{N(x)}" y="{y - 8}" width="14" height="8" fill="{Colour(index)}"/>""");
                _svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x + 18)}" y="{y}" fill="#222">{Escape(label)}</text>""").Append('\n');
                x += ItemWidth(label);
            }
        }
    }
}
