using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Caching;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Caching;

/// <summary>Redis dies under two nodes and comes back: reads keep working from the database, nothing answers 500, the cache refills.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private WebNodes _nodes = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _nodes = await WebNodes.StartAsync(_redis);
    }

    public async Task DisposeAsync()
    {
        await _nodes.DisposeAsync();
        _redis.Stop();
    }

    [Fact]
    public async Task Reads_and_sign_ins_survive_a_Redis_crash_and_the_cache_refills_after_restart()
    {
        using var alice = await ApiClient.SignedInAsync(_nodes.A, "alice");
        using var anonymousB = _nodes.B.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymousB.GetAsync("/api/users/alice")).StatusCode);

        _redis.Crash();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            statuses.Add((await anonymousB.GetAsync("/api/users/alice")).StatusCode);
            statuses.Add((await alice.GetAsync("/api/me")).StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        using var anonymousA = _nodes.A.CreateClient();
        var signIn = await anonymousA.PostAsJsonAsync("/api/sessions", new { username = "alice", password = ApiClient.Password });
        Assert.True((int)signIn.StatusCode < 500, $"sign-in during the outage answered {(int)signIn.StatusCode}");
        var patch = await alice.PatchAsJsonAsync("/api/me", new { displayName = "Written while Redis was down" });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        using var bob = await ApiClient.SignedInAsync(_nodes.B, "bob");

        await _redis.RestartAsync();
        await WaitUntilConnectedAsync(_nodes.A);
        await WaitUntilConnectedAsync(_nodes.B);

        // The rename made during the outage could not reach B's memory cache then; FusionCache's
        // auto-recovery re-sends it once the backplane is back (bounded wait, not a timing claim).
        await WaitForDisplayNameAsync(anonymousB, "Written while Redis was down");

        // Back to normal: a write through A is read fresh through B at once, and entries land in Redis again.
        var renamed = await alice.PatchAsJsonAsync("/api/me", new { displayName = "Back to normal" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("Back to normal", (await anonymousB.GetFromJsonAsync<JsonElement>("/api/users/alice")).GetProperty("displayName").GetString());
        using var hits = new CacheHits(_nodes.B);
        Assert.Equal(HttpStatusCode.OK, (await anonymousB.GetAsync("/api/users/alice")).StatusCode);
        Assert.True(hits.Count > 0, "reads after Redis returned should be cache hits again");
        var redis = _nodes.B.Services.GetRequiredService<RedisConnection>();
        var server = redis.Multiplexer.GetServer(redis.Multiplexer.GetEndPoints()[0]);
        Assert.NotEmpty(server.Keys(pattern: "*" + redis.KeyPrefix + "cache:*").Take(1));
    }

    private static async Task WaitForDisplayNameAsync(HttpClient client, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await client.GetFromJsonAsync<JsonElement>("/api/users/alice")).GetProperty("displayName").GetString() != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Node B still served a stale display name 30 s after Redis returned (expected '{expected}').");
            await Task.Delay(200);
        }
    }

    /// <summary>Bounded wait for a node's Redis connection to come back (it retries every 500 ms).</summary>
    private static async Task WaitUntilConnectedAsync(TestServer node)
    {
        var redis = node.Services.GetRequiredService<RedisConnection>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!redis.Multiplexer.IsConnected)
        {
            Assert.True(DateTime.UtcNow < deadline, "The node did not reconnect to Redis within 30 s.");
            await Task.Delay(100);
        }
    }
}
