using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.LoadBalancing;

/// <summary>
/// The lb role's CPU cuts keep their contract: proxied requests carry the LB's trace context to the node only when
/// LoadBalancing:TraceProxiedRequests is on (by default only when traces are exported), and a malformed
/// LoadBalancing:InlineScheduling stops the start naming its key.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class ProxiedTracingTests
{
    private const string EchoPath = "/test/traceparent";

    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--LoadBalancing:TraceProxiedRequests=true" }, true)]
    [InlineData(new[] { "--LoadBalancing:TraceProxiedRequests=false", "--LoadBalancing:InlineScheduling=false" }, false)]
    public async Task The_node_gets_a_traceparent_only_when_proxied_requests_are_traced(string[] lbSettings, bool expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var cluster = await LoadBalancedNodes.StartAsync(1, lbSettings,
            configureNodes: app => app.MapGet(EchoPath, (HttpRequest request) => "[" + request.Headers.TraceParent.ToString() + "]"));
        // A client that sends no trace context of its own: whatever the node sees came from the load balancer.
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = cluster.Lb.BaseAddress };

        using var response = await client.GetAsync(EchoPath, timeout.Token);

        response.EnsureSuccessStatusCode();
        Assert.Equal(LoadBalancedNodes.NodeName(0), LoadBalancedNodes.AnsweredBy(response));
        var seen = await response.Content.ReadAsStringAsync(timeout.Token);
        Assert.Equal(expected, seen.Length > "[]".Length);
    }

    [Fact]
    public async Task A_malformed_inline_scheduling_setting_stops_the_start_naming_its_key()
    {
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => TestServer.StartAsync(NodeRole.Lb, settings:
            ["--LoadBalancing:Destinations:0=http://127.0.0.1:8081", "--LoadBalancing:InlineScheduling=sometimes"]));
        Assert.Contains("LoadBalancing:InlineScheduling", error.Message, StringComparison.Ordinal);
    }
}
