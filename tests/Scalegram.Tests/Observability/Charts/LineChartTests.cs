using System.Xml.Linq;
using Scalegram.Observability.Charts;

namespace Scalegram.Tests.Observability.Charts;

public sealed class LineChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Each_series_is_a_path_through_its_points_with_a_legend_entry()
    {
        var chart = new LineChart { Title = "Latency (ms)", XLabel = "seconds", YLabel = "ms", Width = 400, Height = 200 };

        var svg = XDocument.Parse(chart.Svg([0, 1, 2, 3], [new("p50", [1, 2, 3, 4]), new("p99", [10, 20, 30, 40])]));

        Assert.Equal("400", svg.Root!.Attribute("width")!.Value);
        Assert.Equal("Latency (ms)", svg.Root.Element(Svg + "title")!.Value);
        var paths = svg.Descendants(Svg + "path").Where(p => p.Attribute("data-series") is not null).ToList();
        Assert.Equal(["p50", "p99"], paths.Select(p => p.Attribute("data-series")!.Value));
        foreach (var path in paths)
        {
            var d = path.Attribute("d")!.Value;
            Assert.Equal(1, d.Count(c => c == 'M'));
            Assert.Equal(3, d.Count(c => c == 'L'));
        }

        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("p50", texts);
        Assert.Contains("p99", texts);
        Assert.Contains("40", texts); // a y tick reaches the largest value
    }

    [Fact]
    public void The_larger_value_is_drawn_higher_and_points_run_left_to_right()
    {
        var svg = XDocument.Parse(new LineChart { Title = "t" }.Svg([0, 10], [new("s", [0, 100])]));

        var points = Points(svg.Descendants(Svg + "path").Single(p => p.Attribute("data-series") is not null));

        Assert.True(points[1].X > points[0].X);
        Assert.True(points[1].Y < points[0].Y); // SVG's y grows downwards
    }

    [Fact]
    public void A_missing_value_breaks_the_line_and_a_lone_point_is_still_drawn()
    {
        var svg = new LineChart { Title = "cache" }.Svg([0, 1, 2, 3], [new("hit %", [50, 60, double.NaN, 70])]);

        var d = XDocument.Parse(svg).Descendants(Svg + "path").Single(p => p.Attribute("data-series") is not null).Attribute("d")!.Value;
        Assert.Equal(2, d.Count(c => c == 'M'));
        Assert.EndsWith("h0", d);
        Assert.DoesNotContain("NaN", svg);
    }

    [Fact]
    public void Text_is_escaped_so_the_svg_stays_well_formed()
    {
        var svg = new LineChart { Title = "<b>A & B</b>", YLabel = "\"quoted\"" }.Svg([1], [new("x<y", [1])]);

        var doc = XDocument.Parse(svg);
        Assert.Equal("<b>A & B</b>", doc.Root!.Element(Svg + "title")!.Value);
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "x<y");
        Assert.DoesNotContain("<b>", svg);
    }

    [Fact]
    public void No_points_draws_an_empty_chart_that_says_so()
    {
        var doc = XDocument.Parse(new LineChart { Title = "Requests per second", TimeAxis = true }.Svg([], [new("requests/s", [])]));

        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "no data yet");
    }

    [Fact]
    public void A_time_axis_is_labelled_with_the_utc_clock()
    {
        var start = new DateTimeOffset(2030, 1, 1, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        double[] xs = [start, start + 1800, start + 3600];

        var doc = XDocument.Parse(new LineChart { Title = "t", TimeAxis = true }.Svg(xs, [new("s", [1, 2, 3])]));

        var labels = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("10:00", labels);
        Assert.Contains("11:00", labels);
    }

    [Fact]
    public void A_series_of_the_wrong_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new LineChart { Title = "t" }.Svg([0, 1], [new("s", [1])]));
    }

    private static List<(double X, double Y)> Points(XElement path) =>
        path.Attribute("d")!.Value.Split(['M', 'L'], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(' '))
            .Select(p => (double.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
}
