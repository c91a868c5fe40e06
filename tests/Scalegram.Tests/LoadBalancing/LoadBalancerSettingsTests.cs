using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scalegram.Caching;
using Scalegram.Data;
using Scalegram.Messaging;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.LoadBalancing;

/// <summary>The `lb` role's settings fail fast naming the key, and the role builds nothing but the load balancer.</summary>
public sealed class LoadBalancerSettingsTests
{
    [Theory]
    [InlineData(new string[0], "LoadBalancing:Destinations must list")]
    [InlineData(new[] { "--LoadBalancing:Destinations:0=http://127.0.0.1:8081", "--LoadBalancing:Destinations:1=127.0.0.1:8082" }, "LoadBalancing:Destinations:1")]
    [InlineData(new[] { "--LoadBalancing:Destinations:0=ftp://127.0.0.1:8081" }, "LoadBalancing:Destinations:0")]
    [InlineData(new[] { "--LoadBalancing:Destinations:0=http://127.0.0.1:8081/api" }, "LoadBalancing:Destinations:0")]
    [InlineData(new[] { "--LoadBalancing:Destinations:0=http://127.0.0.1:8081", "--LoadBalancing:HealthCheckInterval=00:00:00" }, "LoadBalancing:HealthCheckInterval")]
    [InlineData(new[] { "--LoadBalancing:Destinations:0=http://127.0.0.1:8081", "--LoadBalancing:Retries=9" }, "LoadBalancing:Retries")]
    public async Task A_wrong_setting_stops_the_start_naming_its_key(string[] settings, string key)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(NodeRole.Lb, settings: settings));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_policy_stops_the_start_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(NodeRole.Lb, settings:
            ["--LoadBalancing:Destinations:0=http://127.0.0.1:8081", "--LoadBalancing:Policy=Fastest"]));
        Assert.Contains("LoadBalancing:Policy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lb_role_builds_no_database_cache_or_queue()
    {
        await using var app = ScalegramApp.Build(["--urls=http://127.0.0.1:0", "--LoadBalancing:Destinations:0=http://127.0.0.1:1"], NodeRole.Lb);

        Assert.Null(app.Services.GetService<Database>());
        Assert.Null(app.Services.GetService<EntityCache>());
        Assert.Null(app.Services.GetService<Outbox>());
        Assert.Null(app.Services.GetService<JobRunner>());
        Assert.NotNull(app.Services.GetService<Yarp.ReverseProxy.IProxyStateLookup>());
    }
}
