using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Data;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;
using Scalegram.Web;

namespace Scalegram.Tests.Web;

/// <summary>
/// Two web nodes sharing PostgreSQL and Redis, each caching sessions: a cached session costs no database call,
/// a sign-out on node A is refused by node B at once while Redis is up, and with Redis down within
/// Web:SessionCacheTtlWithoutBackplane (set small here).
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class SessionRevocationTests : IAsyncLifetime
{
    private static readonly TimeSpan ShortBound = TimeSpan.FromMilliseconds(300);
    private RedisServer _redis = null!;
    private WebNodes _nodes = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _nodes = await WebNodes.StartAsync(_redis, 2, "--Web:SessionCacheTtl=00:05:00", $"--Web:SessionCacheTtlWithoutBackplane={ShortBound:c}");
    }

    public async Task DisposeAsync()
    {
        await _nodes.DisposeAsync();
        _redis.Stop();
    }

    [Fact]
    public async Task A_session_cached_on_node_B_outlives_the_short_bound_and_is_refused_at_once_when_its_revocation_is_announced()
    {
        using var alice = await ApiClient.SignedInAsync(_nodes.A, "alice");
        using var onB = _nodes.B.CreateClient(alice.DefaultRequestHeaders.Authorization!.Parameter);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/me")).StatusCode);
        await Task.Delay(ShortBound * 2); // older than the short bound: only the revocation channel can end it now

        Assert.True(_nodes.B.Services.GetRequiredService<SessionCache>().ChannelUp);

        // Revoked in the database behind every cache's back (no message): B still serves it from memory...
        var token = alice.DefaultRequestHeaders.Authorization!.Parameter!;
        var db = _nodes.A.Services.GetRequiredService<Database>();
        await using (var connection = await db.Directory.Primary.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE sessions SET revoked_at = 1 WHERE token_hash = @hash", new { hash = SessionCache.KeyOf(token) });
        }

        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/me")).StatusCode);

        // ...until the revocation is announced, as every sign-out does after its database write.
        await _nodes.A.Services.GetRequiredService<SessionRevocations>().RevokedAsync(SessionCache.KeyOf(token), CancellationToken.None);

        // Redis has passed the message on when the publish returns; B's subscriber handles it on its own thread a
        // moment later. B's entry would otherwise live Web:SessionCacheTtl (5 min here), so a refusal within
        // seconds can only come from the announcement.
        var status = HttpStatusCode.OK;
        for (var i = 0; i < 100 && status == HttpStatusCode.OK; i++)
        {
            status = (await onB.GetAsync("/api/me")).StatusCode;
            if (status == HttpStatusCode.OK)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task With_Redis_down_a_session_signed_out_on_node_A_is_refused_on_node_B_once_the_short_bound_has_passed()
    {
        using var alice = await ApiClient.SignedInAsync(_nodes.A, "alice");
        using var onB = _nodes.B.CreateClient(alice.DefaultRequestHeaders.Authorization!.Parameter);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/me")).StatusCode); // cached on B with the full TTL

        _redis.Crash();
        var cacheB = _nodes.B.Services.GetRequiredService<SessionCache>();
        for (var i = 0; i < 200 && cacheB.ChannelUp; i++)
        {
            await Task.Delay(50);
        }

        Assert.False(cacheB.ChannelUp, "node B should notice its revocation channel is down");
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync("/api/sessions/current")).StatusCode); // the message cannot reach B
        await Task.Delay(ShortBound * 2);

        // The entry made before the outage now lives the short bound only, so B reads the session again: revoked.
        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/api/me")).StatusCode);
    }
}
