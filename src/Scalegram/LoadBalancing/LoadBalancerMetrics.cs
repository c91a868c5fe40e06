using System.Diagnostics.Metrics;
using Scalegram.Observability;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Scalegram.LoadBalancing;

/// <summary>
/// The load balancer's figures on the Scalegram meter, per destination (a web node's URL): attempts and their
/// outcome, time to the last response byte, retries, and gauges of each node's health and requests in flight.
/// Active client connections are Kestrel's own kestrel_active_connections on the same /metrics.
/// </summary>
internal sealed class LoadBalancerMetrics
{
    public const string NoDestination = "none";

    // A proxied request on a LAN takes a millisecond or less: the default buckets (0, 5, 10, ... s) would hide it.
    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _retries;

    public LoadBalancerMetrics(ScalegramMetrics metrics, IProxyStateLookup proxy)
    {
        var meter = metrics.Meter;
        _requests = meter.CreateCounter<long>("scalegram.lb.requests", "{request}",
            "Attempts to forward a request, by destination and outcome (2xx..5xx: the node answered; an error name: it did not; no-healthy-node).");
        _duration = meter.CreateHistogram<double>("scalegram.lb.request.duration", "s", "Time from forwarding to the last response byte, per destination.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _retries = meter.CreateCounter<long>("scalegram.lb.retries", "{retry}", "Requests sent again to another node after a failure before any response byte, by the failure.");
        meter.CreateObservableGauge("scalegram.lb.destination.up", () => Destinations(proxy).Select(d => new Measurement<int>(
                IsAvailable(d) ? 1 : 0, new("destination", d.DestinationId), new("active", Name(d.Health.Active)), new("passive", Name(d.Health.Passive)))),
            "{node}", "1 while a node receives traffic (its active and passive health checks are not Unhealthy), else 0; labels carry each check's state.");
        meter.CreateObservableGauge("scalegram.lb.destination.in_flight", () => Destinations(proxy).Select(d => new Measurement<int>(
                d.ConcurrentRequestCount, new KeyValuePair<string, object?>("destination", d.DestinationId))),
            "{request}", "Requests this load balancer has in flight on each node.");
    }

    /// <summary>One forwarding attempt ended: <paramref name="outcome"/> is a status class or an error name.</summary>
    public void Attempt(string destination, string outcome, TimeSpan elapsed)
    {
        _requests.Add(1, new("destination", destination), new("outcome", outcome));
        if (destination != NoDestination)
        {
            _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("destination", destination));
        }
    }

    public void Retry(string failure) => _retries.Add(1, new KeyValuePair<string, object?>("failure", failure));

    private static IEnumerable<DestinationState> Destinations(IProxyStateLookup proxy) =>
        proxy.TryGetCluster(ProxyConfigFromSettings.ClusterId, out var cluster) ? cluster.DestinationsState.AllDestinations : [];

    private static bool IsAvailable(DestinationState d) => d.Health.Active != DestinationHealth.Unhealthy && d.Health.Passive != DestinationHealth.Unhealthy;

    private static string Name(DestinationHealth health) => health switch
    {
        DestinationHealth.Healthy => "healthy",
        DestinationHealth.Unhealthy => "unhealthy",
        _ => "unknown",
    };
}
