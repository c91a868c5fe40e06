using Microsoft.Extensions.Options;
using Scalegram.Data.Replication;
using Scalegram.Observability;
using ZiggyCreatures.Caching.Fusion;

namespace Scalegram.Caching;

/// <summary>
/// Read-through cache for entities (users, photos, counts) on FusionCache: one loader per key
/// at a time (stampede protection), hit/miss counted, invalidated by the writes that change them.
/// A fill reads the primary even where the loader says db.Replica: a value loaded from a lagging standby
/// could predate the write that just invalidated the key, and would then be served for the whole entry
/// lifetime, on every node (docs/data.md, "Replicas").
/// </summary>
internal sealed class EntityCache(IFusionCache cache, IOptions<CachingOptions> options, ScalegramMetrics metrics)
{
    private readonly bool _disabled = options.Value.Disabled;

    public async Task<T?> GetOrLoadAsync<T>(string key, Func<CancellationToken, Task<T?>> load, CancellationToken ct)
    {
        if (_disabled)
        {
            // Nothing is kept, so a replica read is only as stale as any other replica read.
            return await load(ct);
        }

        var missed = false;
        var value = await cache.GetOrSetAsync<T?>(
            key,
            async (_, token) =>
            {
                missed = true;
                using (ReadScope.Fresh())
                {
                    return await load(token);
                }
            },
            token: ct);
        metrics.Cache(EntryOf(key), hit: !missed);
        return value;
    }

    /// <summary>Publishes a value just read from the primary (every node's L1 is told through the backplane), instead of invalidating the key.</summary>
    public async Task SetAsync<T>(string key, T value, CancellationToken ct = default)
    {
        if (!_disabled)
        {
            await cache.SetAsync(key, value, token: ct);
        }
    }

    public async Task InvalidateAsync(string key, CancellationToken ct = default)
    {
        if (!_disabled)
        {
            await cache.RemoveAsync(key, token: ct);
        }
    }

    /// <summary>The entry kind of a key ("user", "photo", ...): the text before the first ':', used as a metric label.</summary>
    public static string EntryOf(string key) => key[..Math.Max(0, key.IndexOf(':'))];
}
