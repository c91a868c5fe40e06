using Scalegram.Caching;

namespace Scalegram.Ops;

/// <summary>The answer of GET /api/ops/cache: L1 entries against Caching:L1SizeLimit, and the cache Redis's memory against maxmemory with its evictions.</summary>
internal sealed record OpsCacheTier(long L1Entries, long L1SizeLimit, long? RedisUsedMemory, long? RedisMaxMemory, long? RedisEvictedKeys, string? RedisPolicy)
{
    /// <summary>What this node knows now (Redis figures are null without Redis or while it does not answer).</summary>
    public static OpsCacheTier Of(CacheGauges? gauges)
    {
        var redis = gauges?.LatestRedis;
        return new(gauges?.L1.Memory.Count ?? 0, gauges?.L1.SizeLimit ?? 0, redis?.UsedMemory, redis?.MaxMemory, redis?.EvictedKeys, redis?.Policy);
    }
}
