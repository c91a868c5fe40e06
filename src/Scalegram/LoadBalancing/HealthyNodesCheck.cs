using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace Scalegram.LoadBalancing;

/// <summary>
/// The load balancer's readiness: it can forward, i.e. at least one web node is available (not Unhealthy by its
/// active or passive checks). With none it would only answer 503, so another load balancer (or the floating
/// address) should take the traffic; its liveness does not depend on the nodes.
/// </summary>
internal sealed class HealthyNodesCheck(IProxyStateLookup proxy) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!proxy.TryGetCluster(ProxyConfigFromSettings.ClusterId, out var cluster))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The web cluster is not loaded."));
        }

        var state = cluster.DestinationsState;
        var available = state.AvailableDestinations.Count;
        var description = $"{available} of {state.AllDestinations.Count} web node(s) available.";
        return Task.FromResult(available > 0 ? HealthCheckResult.Healthy(description) : HealthCheckResult.Unhealthy(description));
    }
}
