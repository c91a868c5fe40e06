using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Scalegram.LoadBalancing;

/// <summary>YARP's client to the nodes, with the connect timeout from LoadBalancing:ConnectTimeout (YARP's default is 15 s).</summary>
internal sealed class NodeHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger, IOptions<LoadBalancingOptions> options) : ForwarderHttpClientFactory(logger)
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectTimeout = options.Value.ConnectTimeout;
    }
}
