namespace Scalegram.Caching;

/// <summary>The shared Redis (section "Redis") used by the L2 cache, its backplane, read-your-writes marks and login limits.</summary>
internal sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. "127.0.0.1:6379". Required when Caching:Engine is Redis, unless Redis:Sentinels is set.</summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// Sentinel endpoints ("127.0.0.1:26379,127.0.0.1:26380,127.0.0.1:26381"): the node asks them which Redis is the
    /// primary of <see cref="ServiceName"/> and follows a failover by itself. Replaces the endpoints of Redis:Configuration.
    /// </summary>
    public string? Sentinels { get; set; }

    /// <summary>The name the sentinels monitor the primary under (Redis:ServiceName).</summary>
    public string ServiceName { get; set; } = "scalegram";

    /// <summary>Prefix of every key and channel, so several deployments (or test runs) can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "scalegram:";

    /// <summary>True when some way to reach Redis is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Configuration) || !string.IsNullOrWhiteSpace(Sentinels);
}
