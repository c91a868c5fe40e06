using Scalegram.Observability.Charts;

namespace Scalegram.Ops;

/// <summary>Draws the ops page's charts as SVG on the server (<see cref="LineChart"/>): no chart library in the node, none in the browser.</summary>
internal static class OpsCharts
{
    public static readonly IReadOnlyList<string> Names = ["traffic", "latency", "errors", "cache", "edge", "queue", "business"];

    public static bool Exists(string name) => Names.Contains(name);

    public static string Svg(string name, IReadOnlyList<OpsPoint> points, int width = 560, int height = 260)
    {
        var xs = points.Select(p => p.Time.ToUnixTimeMilliseconds() / 1000.0).ToArray();
        ChartSeries Line(string label, Func<OpsPoint, double> value) => new(label, points.Select(value).ToArray());
        var (title, yLabel, series) = name switch
        {
            "traffic" => ("Requests per second", "requests/s", new[] { Line("requests/s", p => p.RequestsPerSecond) }),
            "latency" => ("Latency (ms)", "ms", [Line("p50", p => p.P50Ms), Line("p99", p => p.P99Ms)]),
            "errors" => ("Error rate (% of requests answered 5xx)", "%", [Line("5xx %", p => p.ErrorRate * 100)]),
            "cache" => ("Cache hit ratio (%)", "% hits", [Line("hit %", p => (p.CacheHitRatio ?? double.NaN) * 100)]),
            "edge" => ("Edge hit ratio (%, all edges)", "% hits", [Line("edge hit %", p => (p.EdgeHitRatio ?? double.NaN) * 100)]),
            "queue" => ("Queue depth and oldest job age", "jobs / seconds", [Line("depth (jobs)", p => p.QueueDepth), Line("oldest age (s)", p => p.QueueOldestAgeSeconds)]),
            "business" => ("Business events per interval", "events", OpsWindow.BusinessEvents.Select(kind => Line(kind, p => p.Business.GetValueOrDefault(kind))).ToArray()),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such chart."),
        };

        var chart = new LineChart { Title = title, XLabel = "time (UTC)", YLabel = yLabel, TimeAxis = true, Width = width, Height = height };
        return chart.Svg(xs, series);
    }
}
