using ScottPlot;

namespace Scalegram.Ops;

/// <summary>Draws the ops page's charts as SVG with ScottPlot, server-side: no JavaScript chart library to ship.</summary>
internal static class OpsCharts
{
    public static readonly IReadOnlyList<string> Names = ["traffic", "latency", "errors", "cache", "queue", "business"];

    public static bool Exists(string name) => Names.Contains(name);

    public static string Svg(string name, IReadOnlyList<OpsPoint> points, int width = 560, int height = 260)
    {
        var plot = new Plot();
        var xs = points.Select(p => p.Time.UtcDateTime.ToOADate()).ToArray();
        switch (name)
        {
            case "traffic":
                Line(plot, xs, points.Select(p => p.RequestsPerSecond), "requests/s");
                plot.Title("Requests per second");
                break;
            case "latency":
                Line(plot, xs, points.Select(p => p.P50Ms), "p50");
                Line(plot, xs, points.Select(p => p.P99Ms), "p99");
                plot.Title("Latency (ms)");
                break;
            case "errors":
                Line(plot, xs, points.Select(p => p.ErrorRate * 100), "5xx %");
                plot.Title("Error rate (% of requests answered 5xx)");
                break;
            case "cache":
                Line(plot, xs, points.Select(p => (p.CacheHitRatio ?? double.NaN) * 100), "hit %");
                plot.Title("Cache hit ratio (%)");
                break;
            case "queue":
                Line(plot, xs, points.Select(p => (double)p.QueueDepth), "depth (jobs)");
                Line(plot, xs, points.Select(p => p.QueueOldestAgeSeconds), "oldest age (s)");
                plot.Title("Queue depth and oldest job age");
                break;
            case "business":
                foreach (var kind in OpsWindow.BusinessEvents)
                {
                    Line(plot, xs, points.Select(p => (double)p.Business.GetValueOrDefault(kind)), kind);
                }

                plot.Title("Business events per interval");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "No such chart.");
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Axes.Bottom.Label.Text = "time (UTC)";
        if (points.Count == 0)
        {
            plot.Axes.SetLimitsY(0, 1);
        }
        else
        {
            plot.Axes.AutoScale();
            var top = plot.Axes.GetLimits().Top;
            plot.Axes.SetLimitsY(0, top <= 0 || double.IsNaN(top) ? 1 : top * 1.1);
        }

        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetSvgXml(width, height);
    }

    private static void Line(Plot plot, double[] xs, IEnumerable<double> ys, string label)
    {
        var values = ys.ToArray();
        if (xs.Length == 0)
        {
            return;
        }

        var scatter = plot.Add.Scatter(xs, values);
        scatter.LegendText = label;
        scatter.MarkerSize = 0;
        scatter.LineWidth = 2;
    }
}
