using Microsoft.Extensions.Options;
using Scalegram.Data.Replication;
using Scalegram.Observability;
using ZiggyCreatures.Caching.Fusion;

namespace Scalegram.Caching;

/// <summary>
/// Reads many entries of one kind at once (a page of photos, the authors of a page of comments): the cached ones
/// from the cache, all the missing ones with one loader call (one query per store), so a page costs a constant
/// number of database calls whatever its size. Same keys, entries and metrics as <see cref="EntityCache"/>; the
/// fill reads the primary for the same reason. Unlike a single-key read, concurrent misses of the same key in two
/// batches both load it (no per-key lock across a batch).
/// </summary>
internal sealed class EntityBatchCache(IFusionCache cache, IOptions<CachingOptions> options, ScalegramMetrics metrics)
{
    private readonly bool _disabled = options.Value.Disabled;

    /// <summary>Every id's entry (null when it does not exist), in no particular order.</summary>
    public async Task<Dictionary<TId, T?>> GetOrLoadManyAsync<TId, T>(
        IEnumerable<TId> ids,
        Func<TId, string> keyOf,
        Func<IReadOnlyList<TId>, CancellationToken, Task<IReadOnlyDictionary<TId, T>>> loadMany,
        CancellationToken ct)
        where TId : notnull
        where T : class
    {
        var result = new Dictionary<TId, T?>();
        var missing = new List<TId>();
        foreach (var id in ids)
        {
            if (result.ContainsKey(id) || missing.Contains(id))
            {
                continue;
            }

            if (!_disabled && await cache.TryGetAsync<T?>(keyOf(id), token: ct) is { HasValue: true } cached)
            {
                result[id] = cached.Value;
                metrics.Cache(EntityCache.EntryOf(keyOf(id)), hit: true);
            }
            else
            {
                missing.Add(id);
            }
        }

        if (missing.Count == 0)
        {
            return result;
        }

        IReadOnlyDictionary<TId, T> loaded;
        if (_disabled)
        {
            loaded = await loadMany(missing, ct);
        }
        else
        {
            using (ReadScope.Fresh())
            {
                loaded = await loadMany(missing, ct);
            }
        }

        foreach (var id in missing)
        {
            var value = loaded.GetValueOrDefault(id);
            result[id] = value;
            if (!_disabled)
            {
                await cache.SetAsync(keyOf(id), value, token: ct);
                metrics.Cache(EntityCache.EntryOf(keyOf(id)), hit: false);
            }
        }

        return result;
    }
}
