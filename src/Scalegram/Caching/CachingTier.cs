using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace Scalegram.Caching;

/// <summary>Registers the cache tier: FusionCache in memory (embedded); Redis L2 + backplane when configured.</summary>
internal static class CachingTier
{
    public static IServiceCollection AddCachingTier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CachingOptions>().Bind(configuration.GetSection(CachingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.Section))
            .Validate<IOptions<CachingOptions>>(
                (redis, caching) => caching.Value.Engine != CacheEngine.Redis || !string.IsNullOrWhiteSpace(redis.Configuration),
                "Redis:Configuration is required when Caching:Engine is Redis (e.g. 127.0.0.1:6379).")
            .ValidateOnStart();
        var fusion = services.AddFusionCache()
            .WithDefaultEntryOptions(new FusionCacheEntryOptions { Duration = TimeSpan.FromMinutes(5) });
        services.AddSingleton<IPostConfigureOptions<FusionCacheOptions>, DurationFromSettings>();
        services.AddSingleton<EntityCache>();
        services.AddSingleton(sp => new WriteMarks(sp, sp.GetRequiredService<TimeProvider>())
        {
            Lifetime = WriteMarks.LifetimeFor(sp.GetRequiredService<IOptions<Scalegram.Data.DataOptions>>().Value.Postgres.MaxReplicaLag),
        });
        services.AddHostedService<CacheEvictionCounter>();
        if (UsesRedis(configuration))
        {
            services.AddSingleton<RedisConnection>();
            services.AddSingleton<IPostConfigureOptions<FusionCacheOptions>, RedisResilience>();
            fusion
                .WithSerializer(new FusionCacheSystemTextJsonSerializer())
                .WithDistributedCache(sp => new RedisCache(new RedisCacheOptions { ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<RedisConnection>().Multiplexer) }))
                .WithBackplane(sp => new RedisBackplane(new RedisBackplaneOptions { ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<RedisConnection>().Multiplexer) }));
        }

        return services;
    }

    /// <summary>True when this node shares Redis with the others (Caching:Engine=Redis): cache L2, backplane, keys, limits.</summary>
    public static bool UsesRedis(IConfiguration configuration) =>
        configuration.GetValue($"{CachingOptions.Section}:Engine", CacheEngine.Memory) == CacheEngine.Redis;

    /// <summary>Carries Caching:Duration into FusionCache's default entry options.</summary>
    private sealed class DurationFromSettings(IOptions<CachingOptions> caching) : IPostConfigureOptions<FusionCacheOptions>
    {
        public void PostConfigure(string? name, FusionCacheOptions options) =>
            options.DefaultEntryOptions.Duration = caching.Value.Duration;
    }

    /// <summary>
    /// A Redis outage must cost reads a few milliseconds, not fail them: L2 calls time out fast and
    /// a circuit breaker skips Redis for a while, so reads fall through to L1 and the database.
    /// Invalidations are awaited (not backgrounded) so a write's response leaves only after every
    /// node has been told; missed ones are re-sent by auto-recovery when Redis returns.
    /// </summary>
    private sealed class RedisResilience(RedisConnection redis) : IPostConfigureOptions<FusionCacheOptions>
    {
        public void PostConfigure(string? name, FusionCacheOptions options)
        {
            options.CacheKeyPrefix = redis.KeyPrefix + "cache:";
            options.BackplaneChannelPrefix = redis.KeyPrefix + "backplane";
            options.WaitForInitialBackplaneSubscribe = true;
            options.DistributedCacheCircuitBreakerDuration = TimeSpan.FromSeconds(2);
            options.BackplaneCircuitBreakerDuration = TimeSpan.FromSeconds(2);
            options.EnableAutoRecovery = true;
            var entry = options.DefaultEntryOptions;
            entry.DistributedCacheSoftTimeout = TimeSpan.FromMilliseconds(100);
            entry.DistributedCacheHardTimeout = TimeSpan.FromMilliseconds(500);
            entry.AllowBackgroundDistributedCacheOperations = false;
            entry.AllowBackgroundBackplaneOperations = false;
            entry.ReThrowDistributedCacheExceptions = false;
            entry.ReThrowBackplaneExceptions = false;
        }
    }
}
