using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

// The bare YARP baseline of bench/lb/run.sh: Kestrel + MapReverseProxy with the lb role's cluster settings
// (round-robin, /healthz/ready probed every second, out after 1 failure, passive transport-failure policy,
// healthy-and-unknown destinations) and nothing else — no metrics, tracing, retries, problem details.
//   dotnet bare-yarp.dll --urls http://127.0.0.1:18005 --Destinations:0=http://127.0.0.1:18081 [--Destinations:1=...]
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var destinations = builder.Configuration.GetSection("Destinations").Get<string[]>() ?? [];
if (destinations.Length == 0)
{
    Console.Error.WriteLine("usage: bare-yarp --urls http://127.0.0.1:PORT --Destinations:0=http://127.0.0.1:NODE_PORT ...");
    return 2;
}

var route = new RouteConfig { RouteId = "all", ClusterId = "web", Match = new RouteMatch { Path = "{**path}" } };
var cluster = new ClusterConfig
{
    ClusterId = "web",
    LoadBalancingPolicy = "RoundRobin",
    Destinations = destinations.ToDictionary(d => d.TrimEnd('/'), d => new DestinationConfig { Address = d }),
    HealthCheck = new HealthCheckConfig
    {
        Active = new ActiveHealthCheckConfig
        {
            Enabled = true,
            Interval = TimeSpan.FromSeconds(1),
            Timeout = TimeSpan.FromSeconds(2),
            Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
            Path = "/healthz/ready",
        },
        Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = HealthCheckConstants.PassivePolicy.TransportFailureRate, ReactivationPeriod = TimeSpan.FromSeconds(10) },
        AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyAndUnknown,
    },
    Metadata = new Dictionary<string, string> { [ConsecutiveFailuresHealthPolicyOptions.ThresholdMetadataName] = "1" },
};
if (builder.Configuration.GetValue<bool>("InlineScheduling"))
{
    // Experiment switch: Kestrel runs the app on the socket's I/O thread (pair with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1).
    builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
}

builder.Services.AddReverseProxy().LoadFromMemory([route], [cluster]);

var app = builder.Build();
app.MapReverseProxy();
app.Run();
return 0;
