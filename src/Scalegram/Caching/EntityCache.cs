using Microsoft.Extensions.Options;
using Scalegram.Observability;
using ZiggyCreatures.Caching.Fusion;

namespace Scalegram.Caching;

/// <summary>
/// Read-through cache for entities (users, photos, counts) on FusionCache: one loader per key
/// at a time (stampede protection), hit/miss counted, invalidated by the writes that change them.
/// </summary>
internal sealed class EntityCache(IFusionCache cache, IOptions<CachingOptions> options, ScalegramMetrics metrics)
{
    private readonly bool _disabled = options.Value.Disabled;

    public async Task<T?> GetOrLoadAsync<T>(string key, Func<CancellationToken, Task<T?>> load, CancellationToken ct)
    {
        if (_disabled)
        {
            return await load(ct);
        }

        var missed = false;
        var value = await cache.GetOrSetAsync<T?>(
            key,
            async (_, token) =>
            {
                missed = true;
                return await load(token);
            },
            token: ct);
        metrics.Cache(EntryOf(key), hit: !missed);
        return value;
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
