using Scalegram.Observability;
using ZiggyCreatures.Caching.Fusion;

namespace Scalegram.Caching;

/// <summary>Counts the memory cache's evictions (scalegram.cache.evictions) from FusionCache's events.</summary>
internal sealed class CacheEvictionCounter(IFusionCache cache, ScalegramMetrics metrics) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cache.Events.Memory.Eviction += OnEviction;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        cache.Events.Memory.Eviction -= OnEviction;
        return Task.CompletedTask;
    }

    private void OnEviction(object? sender, ZiggyCreatures.Caching.Fusion.Events.FusionCacheEntryEvictionEventArgs e) =>
        metrics.CacheEviction(e.Reason.ToString().ToLowerInvariant());
}
