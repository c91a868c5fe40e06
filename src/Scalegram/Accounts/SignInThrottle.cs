using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Scalegram.Caching;
using Scalegram.Web;
using StackExchange.Redis;

namespace Scalegram.Accounts;

/// <summary>
/// Per-account-name sign-in lock with exponential backoff: after Web:SignInFailuresBeforeLock failed
/// attempts on a name, the name is locked for Web:SignInLockBase, doubling with each further failure up to
/// Web:SignInLockMax. Counted by name whether or not an account has it, so a lock says nothing about
/// existence. Shared by every node in Redis when the cache tier is Redis (in-process if Redis is down or absent).
/// </summary>
internal sealed class SignInThrottle(IOptions<WebOptions> options, TimeProvider time, ILogger<SignInThrottle> logger, RedisConnection? redis = null)
{
    // KEYS: failures, lock. ARGV: failure memory ms, failures before lock, base lock ms, max lock ms.
    private const string FailScript = """
        local n = redis.call('INCR', KEYS[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        local free = tonumber(ARGV[2])
        if n >= free then
          local ms = math.min(tonumber(ARGV[3]) * math.pow(2, math.min(n - free, 30)), tonumber(ARGV[4]))
          redis.call('SET', KEYS[2], '1', 'PX', math.floor(ms))
        end
        return n
        """;

    private static readonly TimeSpan FailureMemory = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, Entry> _local = new(StringComparer.Ordinal);

    /// <summary>How long the name stays locked; null when an attempt may go ahead.</summary>
    public async Task<TimeSpan?> LockedForAsync(string nameKey, CancellationToken ct)
    {
        if (redis is not null)
        {
            try
            {
                var ttl = await redis.Database.KeyTimeToLiveAsync(LockKey(nameKey)).WaitAsync(ct);
                return ttl is { } t && t > TimeSpan.Zero ? t : null;
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                Log.SignInThrottleUnavailable(logger, e);
            }
        }

        var now = time.GetUtcNow();
        return _local.TryGetValue(nameKey, out var entry) && entry.LockedUntil > now ? entry.LockedUntil - now : null;
    }

    public async Task FailedAsync(string nameKey, CancellationToken ct)
    {
        var o = options.Value;
        if (redis is not null)
        {
            try
            {
                await redis.Database.ScriptEvaluateAsync(
                    FailScript,
                    [FailuresKey(nameKey), LockKey(nameKey)],
                    [(long)FailureMemory.TotalMilliseconds, o.SignInFailuresBeforeLock, (long)o.SignInLockBase.TotalMilliseconds, (long)o.SignInLockMax.TotalMilliseconds]).WaitAsync(ct);
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                Log.SignInThrottleUnavailable(logger, e);
            }
        }

        var now = time.GetUtcNow();
        _local.AddOrUpdate(
            nameKey,
            _ => Next(new Entry(0, DateTimeOffset.MinValue, now), now, o),
            (_, entry) => Next(now - entry.LastFailure > FailureMemory ? new Entry(0, DateTimeOffset.MinValue, now) : entry, now, o));
        if (_local.Count > 100_000)
        {
            // Bounded memory under a spray of names: forget entries whose lock and memory have passed.
            foreach (var (key, entry) in _local)
            {
                if (now - entry.LastFailure > FailureMemory)
                {
                    _local.TryRemove(key, out _);
                }
            }
        }
    }

    public async Task SucceededAsync(string nameKey, CancellationToken ct)
    {
        _local.TryRemove(nameKey, out _);
        if (redis is not null)
        {
            try
            {
                await redis.Database.KeyDeleteAsync([FailuresKey(nameKey), LockKey(nameKey)]).WaitAsync(ct);
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                Log.SignInThrottleUnavailable(logger, e);
            }
        }
    }

    private static Entry Next(Entry entry, DateTimeOffset now, WebOptions o)
    {
        var failures = entry.Failures + 1;
        var lockedUntil = entry.LockedUntil;
        if (failures >= o.SignInFailuresBeforeLock)
        {
            var ms = Math.Min(o.SignInLockBase.TotalMilliseconds * Math.Pow(2, Math.Min(failures - o.SignInFailuresBeforeLock, 30)), o.SignInLockMax.TotalMilliseconds);
            lockedUntil = now + TimeSpan.FromMilliseconds(ms);
        }

        return new Entry(failures, lockedUntil, now);
    }

    private RedisKey FailuresKey(string nameKey) => $"{redis!.KeyPrefix}signin-failures:{nameKey}";

    private RedisKey LockKey(string nameKey) => $"{redis!.KeyPrefix}signin-lock:{nameKey}";

    private sealed record Entry(int Failures, DateTimeOffset LockedUntil, DateTimeOffset LastFailure);
}
