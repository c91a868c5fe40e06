using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Scalegram.AppHost;

/// <summary>
/// The two `lb` nodes, each in its network namespace (deploy/keepalived/run-lb.sh: `ip netns exec lbN
/// dotnet scalegram.dll serve --role lb`), and a keepalived beside each moving the floating address to
/// whichever LB is ready.
/// </summary>
internal static class LoadBalancers
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>Load balancer <paramref name="i"/> in namespace lb<i>i</i>, healthy when its own address answers /healthz/ready.</summary>
    public static IResourceBuilder<ExecutableResource> AddLoadBalancer(
        this IDistributedApplicationBuilder builder, int i, string root, string state, IEnumerable<string> destinations)
    {
        string[] args =
        [
            "deploy/keepalived/run-lb.sh", i.ToString(System.Globalization.CultureInfo.InvariantCulture), ScalegramDll(),
            "--data-dir", Path.Combine(state, $"lb{i}"),
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Scalegram=Information",
            "--LoadBalancing:HealthCheckInterval=00:00:01",
            .. destinations.Select((url, n) => $"--LoadBalancing:Destinations:{n}={url}"),
        ];
        var name = $"lb{i}";
        var ready = new Uri($"http://{Ports.LoadBalancerAddress(i)}:{Ports.LoadBalancer}/healthz/ready");
        builder.Services.AddHealthChecks().AddAsyncCheck($"{name}-ready", async ct =>
        {
            try
            {
                using var response = await Probe.GetAsync(ready, ct);
                return response.IsSuccessStatusCode ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"{ready} answered {(int)response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return HealthCheckResult.Unhealthy($"{ready} does not answer yet", e);
            }
        });
        return builder.AddExecutable(name, "bash", root, args).WithHealthCheck($"{name}-ready");
    }

    /// <summary>keepalived for LB <paramref name="i"/>, started once that LB is ready (its check would only fail before).</summary>
    public static IResourceBuilder<ExecutableResource> AddKeepalived(
        this IDistributedApplicationBuilder builder, int i, string root, string state, IResourceBuilder<ExecutableResource> lb) =>
        builder.AddExecutable($"keepalived{i}", "bash", root,
                "deploy/keepalived/run-keepalived.sh", i.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.Combine(state, "keepalived"))
            .WaitFor(lb);

    /// <summary>
    /// The scalegram.dll that AddProject would run: src/Scalegram/bin/CONFIGURATION/netX.Y/, in the
    /// configuration this AppHost was built in (building the AppHost builds it).
    /// </summary>
    internal static string ScalegramDll()
    {
        var project = Path.GetDirectoryName(new Projects.Scalegram().ProjectPath)!;
        var configuration = typeof(LoadBalancers).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(project, "bin", configuration, $"net{Environment.Version.Major}.{Environment.Version.Minor}", "scalegram.dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"The load balancers run {dll}, which does not exist: build src/Scalegram in {configuration} (building the AppHost does).", dll);
    }
}
