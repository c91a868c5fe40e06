using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;

namespace Scalegram.LoadBalancing;

/// <summary>
/// YARP's configuration drawn from <see cref="LoadBalancingOptions"/>: one route for every path to one
/// cluster of web nodes, with active probes of /healthz/ready, passive failure detection and the chosen policy.
/// Read once (reading the options validates them, so a bad setting stops the process naming its key).
/// </summary>
internal sealed class ProxyConfigFromSettings(IOptions<LoadBalancingOptions> options) : IProxyConfigProvider
{
    public const string ClusterId = "web";
    public const string ReadyPath = "/healthz/ready";

    private readonly Lazy<IProxyConfig> _config = new(() => Build(options.Value));

    public IProxyConfig GetConfig() => _config.Value;

    /// <summary>The destination ID YARP (and the metrics' `destination` label) uses for a node: its URL without the trailing slash.</summary>
    public static string DestinationId(string url) => url.TrimEnd('/');

    private static Config Build(LoadBalancingOptions o)
    {
        var route = new RouteConfig
        {
            RouteId = "all",
            ClusterId = ClusterId,
            Match = new RouteMatch { Path = "{**path}" },
            // After every endpoint of the load balancer itself (/healthz/*, /metrics).
            Order = int.MaxValue,
        };
        var cluster = new ClusterConfig
        {
            ClusterId = ClusterId,
            LoadBalancingPolicy = o.Policy.ToString(),
            Destinations = o.Destinations.ToDictionary(DestinationId, d => new DestinationConfig { Address = d }, StringComparer.OrdinalIgnoreCase),
            HealthCheck = new HealthCheckConfig
            {
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = o.HealthCheckInterval,
                    Timeout = o.HealthCheckTimeout,
                    Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                    Path = ReadyPath,
                },
                Passive = new PassiveHealthCheckConfig
                {
                    Enabled = true,
                    Policy = HealthCheckConstants.PassivePolicy.TransportFailureRate,
                    ReactivationPeriod = o.PassiveReactivationPeriod,
                },
                // No healthy node means no node: answer 503 at once rather than send to nodes known to be down.
                AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyAndUnknown,
            },
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = o.RequestTimeout },
            Metadata = new Dictionary<string, string>
            {
                [ConsecutiveFailuresHealthPolicyOptions.ThresholdMetadataName] = o.UnhealthyThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        return new Config([route], [cluster]);
    }

    private sealed class Config(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
    {
        public IReadOnlyList<RouteConfig> Routes { get; } = routes;

        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

        // The settings are read once at start: this snapshot never expires.
        public IChangeToken ChangeToken { get; } = new CancellationChangeToken(CancellationToken.None);
    }
}
