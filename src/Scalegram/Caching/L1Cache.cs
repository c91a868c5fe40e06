using Microsoft.Extensions.Caching.Memory;

namespace Scalegram.Caching;

/// <summary>The in-process cache level (L1) under FusionCache: a MemoryCache bounded by Caching:L1SizeLimit, with statistics for /metrics.</summary>
internal sealed class L1Cache(long sizeLimit) : IDisposable
{
    // Compacting 10 % at a time keeps a full cache from compacting on nearly every insert.
    public MemoryCache Memory { get; } = new(new MemoryCacheOptions { SizeLimit = sizeLimit, TrackStatistics = true, CompactionPercentage = 0.10 });

    public long SizeLimit { get; } = sizeLimit;

    public void Dispose() => Memory.Dispose();
}
