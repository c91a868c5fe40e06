using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using Scalegram.Web;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Scalegram.LoadBalancing;

/// <summary>
/// Registers the load balancer (the `lb` role) on YARP: every request not for the load balancer itself
/// (/healthz/*, /metrics) goes to one of the web nodes in LoadBalancing:Destinations, picked by the policy
/// among those whose health checks pass; safe requests that fail before any response byte are retried on
/// another node (<see cref="RetryOnAnotherNode"/>). YARP adds X-Forwarded-For/-Proto/-Host to every request.
/// </summary>
internal static class LoadBalancingTier
{
    public static IServiceCollection AddLoadBalancingTier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LoadBalancingOptions>().Bind(configuration.GetSection(LoadBalancingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<LoadBalancingOptions>, LoadBalancingOptionsValidator>();
        // Proxied requests are traced only when traces leave the process (see the option).
        services.PostConfigure<LoadBalancingOptions>(o => o.TraceProxiedRequests ??= !string.IsNullOrEmpty(configuration["Observability:OtlpEndpoint"]));
        services.AddSingleton<IPostConfigureOptions<OpenTelemetry.Instrumentation.AspNetCore.AspNetCoreTraceInstrumentationOptions>, ProxiedRequestTracing>();
        // Before the first socket: the runtime reads it once (a malformed value fails here naming the key).
        InlineIo.PreferForThisProcess(configuration.GetValue($"{LoadBalancingOptions.Section}:{nameof(LoadBalancingOptions.InlineScheduling)}", true));
        services.AddOptions<SocketTransportOptions>().Configure<IOptions<LoadBalancingOptions>>((sockets, lb) => sockets.UnsafePreferInlineScheduling = lb.Value.InlineScheduling);
        services.AddReverseProxy();
        services.AddSingleton<IProxyConfigProvider, ProxyConfigFromSettings>();
        services.AddSingleton<IForwarderHttpClientFactory, NodeHttpClientFactory>();
        services.AddSingleton<LoadBalancerMetrics>();
        services.AddHealthChecks().AddCheck<HealthyNodesCheck>("web-nodes", tags: [Health.ReadyTag]);
        services.AddOptions<DrainOptions>().Configure<IOptions<LoadBalancingOptions>>((drain, lb) => drain.Delay = lb.Value.DrainDelay);
        return services;
    }

    /// <summary>Maps the proxy after the load balancer's own endpoints: retries first, then YARP's load balancing, passive health checks and forwarder.</summary>
    public static WebApplication MapLoadBalancer(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<LoadBalancingOptions>>().Value;
        Log.Started(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LoadBalancingTier).Namespace!), settings.Destinations.Count, settings.Policy, string.Join(", ", settings.Destinations),
            settings.InlineScheduling, Environment.GetEnvironmentVariable(InlineIo.Variable) == "1");
        app.Services.GetRequiredService<LoadBalancerMetrics>();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<RetryOnAnotherNode>();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
