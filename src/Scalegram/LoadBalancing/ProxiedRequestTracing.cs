using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.AspNetCore;

namespace Scalegram.LoadBalancing;

/// <summary>
/// Leaves proxied requests out of the ASP.NET Core traces unless <see cref="LoadBalancingOptions.TraceProxiedRequests"/>:
/// their Activity is still made (log lines keep a TraceId) but not recorded, so no tags are gathered per request.
/// The load balancer's own endpoints (/healthz/*, /metrics as the Observability tier filters it) are unaffected.
/// </summary>
internal sealed class ProxiedRequestTracing(IOptions<LoadBalancingOptions> lb) : IPostConfigureOptions<AspNetCoreTraceInstrumentationOptions>
{
    public void PostConfigure(string? name, AspNetCoreTraceInstrumentationOptions options)
    {
        if (lb.Value.TraceProxiedRequests == true)
        {
            return;
        }

        var inner = options.Filter;
        options.Filter = http => IsOwn(http.Request.Path) && (inner?.Invoke(http) ?? true);
    }

    // The filter runs before routing, so the LB's own endpoints are told by their paths.
    private static bool IsOwn(PathString path) => path.StartsWithSegments("/healthz") || path.StartsWithSegments("/metrics");
}
