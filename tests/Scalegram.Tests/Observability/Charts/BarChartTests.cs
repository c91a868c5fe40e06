using System.Globalization;
using System.Xml.Linq;
using Scalegram.Observability.Charts;

namespace Scalegram.Tests.Observability.Charts;

public sealed class BarChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Each_category_has_a_bar_per_series_as_tall_as_its_value()
    {
        var chart = new BarChart { Title = "Latency percentiles, A vs B", YLabel = "ms" };

        var doc = XDocument.Parse(chart.Svg(["p50", "p99"], [new("A", [10, 40]), new("B", [20, 80])]));

        var bars = doc.Descendants(Svg + "rect").Where(r => r.Attribute("data-series") is not null).ToList();
        Assert.Equal(4, bars.Count);
        double Height(string series, string category) => double.Parse(
            bars.Single(b => b.Attribute("data-series")!.Value == series && b.Attribute("data-category")!.Value == category).Attribute("height")!.Value,
            CultureInfo.InvariantCulture);
        Assert.Equal(2 * Height("A", "p50"), Height("B", "p50"), 1);
        Assert.Equal(2 * Height("A", "p99"), Height("B", "p99"), 1);
        var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("p50", texts);
        Assert.Contains("80", texts);
        Assert.Contains("B", texts);
    }
}
