using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Caching;

/// <summary>
/// deploy/redis/redis.conf is what every topology's cache Redis starts from. A server started on the file itself
/// rewrites it on a sentinel failover (CONFIG REWRITE), so it once came back holding a test's port and temp
/// dir, and every topology then failed to start: the file holds our settings and nothing a server wrote.
/// </summary>
public sealed class ShippedRedisConfigTests
{
    [Fact]
    public void The_shipped_redis_conf_holds_the_cache_settings_and_nothing_a_server_wrote()
    {
        var directives = File.ReadAllLines(RepositoryPaths.Deploy("redis/redis.conf"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2)[0])
            .ToList();

        Assert.Contains("maxmemory-policy", directives);
        Assert.Contains("maxmemory", directives);
        foreach (var written in new[] { "port", "dir", "pidfile", "daemonize", "user", "replicaof", "latency-tracking-info-percentiles" })
        {
            Assert.DoesNotContain(written, directives);
        }

        Assert.DoesNotContain("CONFIG REWRITE", File.ReadAllText(RepositoryPaths.Deploy("redis/redis.conf")), StringComparison.Ordinal);
    }
}
