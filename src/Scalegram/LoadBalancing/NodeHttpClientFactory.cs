using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Scalegram.LoadBalancing;

/// <summary>
/// YARP's client to the nodes: the connect timeout from LoadBalancing:ConnectTimeout (YARP's default is 15 s), and no
/// trace-context propagation unless LoadBalancing:TraceProxiedRequests is on (without a propagator SocketsHttpHandler
/// adds no diagnostics handler: no client Activity, no traceparent header per request).
/// </summary>
internal sealed class NodeHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger, IOptions<LoadBalancingOptions> options) : ForwarderHttpClientFactory(logger)
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectTimeout = options.Value.ConnectTimeout;
        if (options.Value.TraceProxiedRequests != true)
        {
            handler.ActivityHeadersPropagator = null;
        }
    }
}
