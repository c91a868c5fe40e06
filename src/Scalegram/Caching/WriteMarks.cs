using System.Collections.Concurrent;
using System.Globalization;
using Scalegram.Data.Replication;
using StackExchange.Redis;

namespace Scalegram.Caching;

/// <summary>
/// Read-your-writes marks: per user, the WAL position each store's primary had reached after that user's
/// last write there. Kept in Redis when the nodes share one (so a write through one web node and the next
/// read through another agree, whether the client signs in by cookie or Bearer token), else in this process.
/// A mark only ever rises, and expires after <see cref="Lifetime"/>: by then any standby within
/// Data:Postgres:MaxReplicaLag has long replayed the write.
/// </summary>
internal sealed class WriteMarks(IServiceProvider services, TimeProvider time)
{
    // Raises each field to the new position, never lowers it (two nodes may write for one user at once).
    private const string RaiseScript = """
        for i = 1, #ARGV - 1, 2 do
          local current = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0')
          if tonumber(ARGV[i + 1]) > current then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[#ARGV])
        return 1
        """;

    private readonly RedisConnection? _redis = services.GetService<RedisConnection>();
    private readonly ConcurrentDictionary<long, (Dictionary<string, Lsn> Marks, DateTimeOffset Expires)> _local = new();

    /// <summary>How long a mark lives after the user's last write.</summary>
    public static TimeSpan LifetimeFor(TimeSpan maxReplicaLag) => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(1).Ticks, maxReplicaLag.Ticks * 10));

    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The user's marks; null when they cannot be read (Redis away): the caller then reads the primary.</summary>
    public async Task<IReadOnlyDictionary<string, Lsn>?> GetAsync(long userId, CancellationToken ct)
    {
        if (_redis is null)
        {
            return _local.TryGetValue(userId, out var entry) && entry.Expires > time.GetUtcNow() ? entry.Marks : new Dictionary<string, Lsn>();
        }

        try
        {
            var fields = await _redis.Database.HashGetAllAsync(Key(userId)).WaitAsync(ct);
            return fields.ToDictionary(f => (string)f.Name!, f => new Lsn(ulong.Parse((string)f.Value!, CultureInfo.InvariantCulture)));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Raises the user's marks to <paramref name="positions"/>; false if they could not be stored.</summary>
    public async Task<bool> RaiseAsync(long userId, IReadOnlyDictionary<string, Lsn> positions, CancellationToken ct)
    {
        if (_redis is null)
        {
            // One entry per recent writer; drop the expired ones now and then so the map stays that size.
            if (_local.Count > 10_000)
            {
                var now = time.GetUtcNow();
                foreach (var (user, entry) in _local)
                {
                    if (entry.Expires <= now)
                    {
                        _local.TryRemove(user, out _);
                    }
                }
            }

            _local.AddOrUpdate(
                userId,
                _ => (new Dictionary<string, Lsn>(positions), time.GetUtcNow() + Lifetime),
                (_, old) =>
                {
                    var merged = new Dictionary<string, Lsn>(old.Expires > time.GetUtcNow() ? old.Marks : []);
                    foreach (var (store, lsn) in positions)
                    {
                        merged[store] = merged.TryGetValue(store, out var had) ? Lsn.Max(had, lsn) : lsn;
                    }

                    return (merged, time.GetUtcNow() + Lifetime);
                });
            return true;
        }

        try
        {
            var args = positions.SelectMany(p => new RedisValue[] { p.Key, p.Value.Value.ToString(CultureInfo.InvariantCulture) })
                .Append((long)Lifetime.TotalMilliseconds).ToArray();
            await _redis.Database.ScriptEvaluateAsync(RaiseScript, [Key(userId)], args).WaitAsync(ct);
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return false;
        }
    }

    private RedisKey Key(long userId) => $"{_redis!.KeyPrefix}ryw:{userId}";
}
