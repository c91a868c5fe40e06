using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.LoadBalancing;

/// <summary>Graceful drain: a stopping web node fails readiness at once, still serves for the drain delay, then refuses new connections and lets a slow request finish.</summary>
[Collection(HeavyCollection.Name)]
public sealed class DrainTests
{
    [Fact]
    public async Task A_stopping_node_is_not_ready_at_once_and_finishes_a_request_in_flight()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ct = timeout.Token;
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var node = await TestServer.StartAsync(NodeRole.Web, null, app => app.MapGet("/test/slow", async () =>
        {
            entered.SetResult();
            await release.Task;
            return Results.Text("done");
        }), "--Web:DrainDelay=00:00:01");
        using var client = node.CreateClient();
        using (var ready = await client.GetAsync("/healthz/ready", ct))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        var slow = client.GetAsync("/test/slow", ct);
        await entered.Task.WaitAsync(ct);
        var stopping = node.StopAsync();

        using (var ready = await client.GetAsync("/healthz/ready", ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        // After the drain delay the server takes no new connection, yet waits for the request in flight.
        await Task.Delay(TimeSpan.FromSeconds(1.5), ct);
        Assert.False(stopping.IsCompleted, "the node stopped before the request in flight finished");
        using (var fresh = node.CreateClient())
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync("/healthz/live", ct));
        }

        release.SetResult();
        using var answer = await slow;
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("done", await answer.Content.ReadAsStringAsync(ct));
        await stopping.WaitAsync(ct);
    }
}
