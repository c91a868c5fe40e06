namespace Scalegram.Caching;

/// <summary>The shared Redis (section "Redis") used by the L2 cache, its backplane, Data Protection keys and login limits.</summary>
internal sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. "127.0.0.1:6379". Required when Caching:Engine is Redis.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key and channel, so several deployments (or test runs) can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "scalegram:";
}
