namespace Scalegram.Caching;

/// <summary>Where cached entries live (Caching:Engine).</summary>
internal enum CacheEngine
{
    /// <summary>In this process only.</summary>
    Memory,

    /// <summary>L1 in memory, L2 in Redis, invalidated on every node through Redis pub/sub.</summary>
    Redis,
}
