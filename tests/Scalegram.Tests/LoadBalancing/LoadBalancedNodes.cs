using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;
using Scalegram.Web;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Scalegram.Tests.LoadBalancing;

/// <summary>N real web nodes (SQLite, a data directory each) and an `lb` node in front of them, all in this test process.</summary>
public sealed class LoadBalancedNodes : IAsyncDisposable
{
    private LoadBalancedNodes(IReadOnlyList<TestServer> nodes, TestServer lb)
    {
        Nodes = nodes;
        Lb = lb;
    }

    public IReadOnlyList<TestServer> Nodes { get; }

    public TestServer Lb { get; }

    /// <summary>Starts the nodes, then the load balancer with <paramref name="lbSettings"/>, and waits until it has probed every node healthy.</summary>
    public static async Task<LoadBalancedNodes> StartAsync(int count, string[] lbSettings, Func<int, string[]>? nodeSettings = null, Action<WebApplication>? configureNodes = null)
    {
        var nodes = new List<TestServer>();
        for (var i = 0; i < count; i++)
        {
            nodes.Add(await TestServer.StartAsync(NodeRole.Web, null, configureNodes, [$"--Web:NodeName=node{i}", .. nodeSettings?.Invoke(i) ?? []]));
        }

        var lb = await TestServer.StartAsync(NodeRole.Lb, settings: [
            .. nodes.Select((n, i) => $"--LoadBalancing:Destinations:{i}={n.BaseAddress}"),
            .. lbSettings]);
        var cluster = new LoadBalancedNodes(nodes, lb);
        await cluster.WaitUntilAsync(d => d.Health.Active == DestinationHealth.Healthy, nodes.Count, TimeSpan.FromSeconds(10));
        return cluster;
    }

    /// <summary>The name in X-Scalegram-Node of node <paramref name="i"/>.</summary>
    public static string NodeName(int i) => $"node{i}";

    /// <summary>The load balancer's view of each node (by destination ID, the node's URL without the trailing slash).</summary>
    public IReadOnlyList<DestinationState> Destinations =>
        Lb.Services.GetRequiredService<IProxyStateLookup>().TryGetCluster("web", out var cluster) ? cluster.DestinationsState.AllDestinations : [];

    public DestinationState Destination(int node) => Destinations.Single(d => d.DestinationId == Nodes[node].BaseAddress.ToString().TrimEnd('/'));

    /// <summary>Waits until <paramref name="count"/> destinations satisfy <paramref name="condition"/>.</summary>
    public async Task WaitUntilAsync(Func<DestinationState, bool> condition, int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (Destinations.Count(condition) < count)
        {
            await Task.Delay(20, cts.Token);
        }
    }

    /// <summary>Which node answered, from its X-Scalegram-Node header (null when the load balancer answered itself).</summary>
    public static string? AnsweredBy(HttpResponseMessage response) =>
        response.Headers.TryGetValues(NodeHeader.Name, out var values) ? values.Single() : null;

    /// <summary>A sign-up body the web node accepts (a fresh username each time), with a Content-Length as most clients send.</summary>
    public static StringContent SignUp() => new(
        JsonSerializer.Serialize(new { username = "u" + Guid.NewGuid().ToString("N")[..12], password = "correct horse battery staple 42" }),
        Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        await Lb.DisposeAsync();
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
