using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Scalegram.Web;

/// <summary>
/// Sessions this node validated recently, so an authenticated request does not read the database each time.
/// An entry lives Web:SessionCacheTtl (30 s) only while the revocation channel (<see cref="SessionRevocations"/>)
/// has been up since the entry was made, else Web:SessionCacheTtlWithoutBackplane (2 s): a session revoked on
/// any node is refused here at once while Redis is up, and within that short bound when it is not (or when
/// there is no Redis). Keyed by the token's SHA-256, as the session table is; only live sessions are kept.
/// </summary>
internal sealed class SessionCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private readonly TimeSpan _shortTtl;
    private readonly int _maxEntries;

    // Bumped by every eviction: a session validated before an eviction is not cached after it (it may be the revoked one).
    private long _evictions;

    // Timestamp since which revocations reach this node without a gap; Down while the channel is down (or absent).
    private const long Down = long.MinValue;
    private long _channelUpSince = Down;

    public SessionCache(IOptions<WebOptions> options, TimeProvider time)
    {
        _time = time;
        _ttl = options.Value.SessionCacheTtl;
        _shortTtl = options.Value.SessionCacheTtlWithoutBackplane;
        _maxEntries = options.Value.SessionCacheMaxEntries;
    }

    public int Count => _entries.Count;

    /// <summary>Whether revocations from other nodes reach this one now (the full TTL applies).</summary>
    public bool ChannelUp => Interlocked.Read(ref _channelUpSince) != Down;

    /// <summary>The cache key of a token: its SHA-256 in lower-case hex, the same as the session table's token_hash.</summary>
    public static string KeyOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A stamp to pass to <see cref="Put"/>: take it before reading the session from the database.</summary>
    public long Stamp => Interlocked.Read(ref _evictions);

    public SessionUser? TryGet(string key)
    {
        if (_ttl <= TimeSpan.Zero || !_entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        var age = _time.GetElapsedTime(entry.CachedAt);
        if (age < _shortTtl || (age < _ttl && Interlocked.Read(ref _channelUpSince) is var since && since != Down && since <= entry.CachedAt))
        {
            return entry.User;
        }

        _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        return null;
    }

    /// <summary>Keeps a session just read from the database, unless anything was evicted since <paramref name="stamp"/>.</summary>
    public void Put(string key, SessionUser user, long stamp)
    {
        if (_ttl <= TimeSpan.Zero)
        {
            return;
        }

        if (_entries.Count >= _maxEntries)
        {
            Sweep();
            if (_entries.Count >= _maxEntries)
            {
                return; // Full of live sessions: this one is read from the database each time, as without a cache.
            }
        }

        var entry = new Entry(user, _time.GetTimestamp());
        _entries[key] = entry;
        if (Interlocked.Read(ref _evictions) != stamp)
        {
            // A revocation arrived while this session was read: it may be this one, so keep nothing.
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }
    }

    /// <summary>Forgets one session (it was revoked).</summary>
    public void Evict(string key)
    {
        Interlocked.Increment(ref _evictions);
        _entries.TryRemove(key, out _);
    }

    /// <summary>Forgets every session of a user (all signed out, or the account changed).</summary>
    public void EvictUser(long userId)
    {
        Interlocked.Increment(ref _evictions);
        foreach (var (key, entry) in _entries)
        {
            if (entry.User.Id == userId)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    /// <summary>The revocation channel is up (again): entries made from now on get the full TTL.</summary>
    public void ChannelConnected() => Interlocked.Exchange(ref _channelUpSince, _time.GetTimestamp());

    /// <summary>The revocation channel is down: revocations may be missed, so every entry falls back to the short TTL.</summary>
    public void ChannelLost()
    {
        Interlocked.Increment(ref _evictions);
        Interlocked.Exchange(ref _channelUpSince, Down);
    }

    private void Sweep()
    {
        foreach (var (key, _) in _entries)
        {
            TryGet(key);
        }
    }

    private sealed record Entry(SessionUser User, long CachedAt);
}
