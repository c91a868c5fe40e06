using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Scalegram.Web;

namespace Scalegram.Tests.Web;

/// <summary>
/// The session cache's bound, on a fake clock: an entry lives the full TTL only while the revocation channel has
/// been up since the entry was made, else the short TTL; a revocation that races a database read keeps nothing.
/// </summary>
public sealed class SessionCacheTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(2);
    private static readonly SessionUser Alice = new(7, "alice", false);

    private readonly FakeTimeProvider _clock = new();

    private SessionCache NewCache() => new(Options.Create(new WebOptions { SessionCacheTtl = Ttl, SessionCacheTtlWithoutBackplane = Short }), _clock);

    [Fact]
    public void Without_a_revocation_channel_an_entry_lasts_the_short_TTL_only()
    {
        var cache = NewCache();
        cache.Put("k", Alice, cache.Stamp);

        _clock.Advance(Short - TimeSpan.FromMilliseconds(1));
        Assert.Equal(Alice, cache.TryGet("k"));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(cache.TryGet("k"));
    }

    [Fact]
    public void With_the_channel_up_an_entry_lasts_the_full_TTL_and_a_revocation_drops_it_at_once()
    {
        var cache = NewCache();
        cache.ChannelConnected();
        cache.Put("k", Alice, cache.Stamp);
        cache.Put("other", Alice with { Id = 8 }, cache.Stamp);

        _clock.Advance(Ttl - TimeSpan.FromMilliseconds(1));
        Assert.Equal(Alice, cache.TryGet("k"));
        cache.Evict("k");
        Assert.Null(cache.TryGet("k"));
        Assert.NotNull(cache.TryGet("other"));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(cache.TryGet("other"));
    }

    [Fact]
    public void When_the_channel_is_lost_every_entry_falls_back_to_the_short_TTL_even_after_it_returns()
    {
        var cache = NewCache();
        cache.ChannelConnected();
        cache.Put("k", Alice, cache.Stamp);
        _clock.Advance(TimeSpan.FromSeconds(1));

        cache.ChannelLost();
        Assert.Equal(Alice, cache.TryGet("k")); // 1 s old: within the short bound
        _clock.Advance(Short);
        cache.ChannelConnected(); // back, but revocations sent meanwhile were missed: the old entry stays bounded
        Assert.Null(cache.TryGet("k"));
    }

    [Fact]
    public void A_session_read_while_a_revocation_arrived_is_not_cached()
    {
        var cache = NewCache();
        cache.ChannelConnected();
        var stamp = cache.Stamp; // the request starts reading the session from the database...
        cache.Evict("k");       // ...the session is revoked meanwhile...
        cache.Put("k", Alice, stamp); // ...and the (now stale) read is not kept

        Assert.Null(cache.TryGet("k"));
    }

    [Fact]
    public void Evicting_a_user_drops_all_their_sessions_and_only_theirs()
    {
        var cache = NewCache();
        cache.ChannelConnected();
        cache.Put("a1", Alice, cache.Stamp);
        cache.Put("a2", Alice, cache.Stamp);
        cache.Put("b", Alice with { Id = 8 }, cache.Stamp);

        cache.EvictUser(Alice.Id);

        Assert.Null(cache.TryGet("a1"));
        Assert.Null(cache.TryGet("a2"));
        Assert.NotNull(cache.TryGet("b"));
    }

    [Fact]
    public void A_full_cache_keeps_no_more_and_a_zero_TTL_keeps_nothing()
    {
        var full = new SessionCache(Options.Create(new WebOptions { SessionCacheMaxEntries = 1 }), _clock);
        full.Put("a", Alice, full.Stamp);
        full.Put("b", Alice, full.Stamp);
        Assert.Equal(1, full.Count);

        var off = new SessionCache(Options.Create(new WebOptions { SessionCacheTtl = TimeSpan.Zero, SessionCacheTtlWithoutBackplane = TimeSpan.Zero }), _clock);
        off.Put("a", Alice, off.Stamp);
        Assert.Null(off.TryGet("a"));
    }

    [Fact]
    public void The_cache_key_is_the_session_tables_token_hash() =>
        Assert.Equal(Scalegram.Accounts.SessionStore.Hash("some-token-value-of-43-characters-long-xyz"), SessionCache.KeyOf("some-token-value-of-43-characters-long-xyz"));
}
