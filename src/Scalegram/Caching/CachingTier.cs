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
                (redis, caching) => caching.Value.Engine != CacheEngine.Redis || redis.IsConfigured,
                "Redis:Configuration (or Redis:Sentinels) is required when Caching:Engine is Redis (e.g. 127.0.0.1:6379).")
            .Validate(redis => !string.IsNullOrWhiteSpace(redis.ServiceName), "Redis:ServiceName must not be empty.")
            .ValidateOnStart();
        // L1 is bounded: every entry counts 1 towards Caching:L1SizeLimit; past it MemoryCache compacts the least used away.
        services.AddSingleton(sp => new L1Cache(sp.GetRequiredService<IOptions<CachingOptions>>().Value.L1SizeLimit));
        var fusion = services.AddFusionCache()
            .WithMemoryCache(sp => sp.GetRequiredService<L1Cache>().Memory)
            .WithDefaultEntryOptions(new FusionCacheEntryOptions { Duration = TimeSpan.FromMinutes(5), Size = 1 });
        services.AddSingleton<IPostConfigureOptions<FusionCacheOptions>, EntryOptionsFromSettings>();
        services.AddSingleton<EntityCache>();
        services.AddSingleton<CounterRefresh>();
        services.AddHostedService(sp => sp.GetRequiredService<CounterRefresh>());
        services.AddSingleton<CacheGauges>();
        services.AddHostedService(sp => sp.GetRequiredService<CacheGauges>());
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

    /// <summary>Carries the Caching:* settings into FusionCache's default entry options.</summary>
    private sealed class EntryOptionsFromSettings(IOptions<CachingOptions> caching) : IPostConfigureOptions<FusionCacheOptions>
    {
        public void PostConfigure(string? name, FusionCacheOptions options) => Apply(caching.Value, options.DefaultEntryOptions);
    }

    /// <summary>
    /// Lifetime with jitter, fail-safe (a stale value served while loads fail, up to FailSafeMaxDuration, retried
    /// every FailSafeThrottle), a soft load timeout that serves the stale value and lets the load finish in the
    /// background, and eager refresh of keys read late in their life. Every entry has size 1 (the L1 limit counts entries).
    /// </summary>
    public static void Apply(CachingOptions settings, FusionCacheEntryOptions entry)
    {
        entry.Duration = settings.Duration;
        entry.JitterMaxDuration = settings.Jitter;
        entry.Size = 1;
        entry.IsFailSafeEnabled = settings.FailSafeMaxDuration > TimeSpan.Zero;
        entry.FailSafeMaxDuration = settings.FailSafeMaxDuration > TimeSpan.Zero ? settings.FailSafeMaxDuration : settings.Duration;
        entry.FailSafeThrottleDuration = settings.FailSafeThrottle;
        entry.FactorySoftTimeout = settings.FailSafeMaxDuration > TimeSpan.Zero ? settings.LoadSoftTimeout : Timeout.InfiniteTimeSpan;
        entry.AllowTimedOutFactoryBackgroundCompletion = true;
        entry.EagerRefreshThreshold = settings.EagerRefreshThreshold > 0 ? (float)settings.EagerRefreshThreshold : null;
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
