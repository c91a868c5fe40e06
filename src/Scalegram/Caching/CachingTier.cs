using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;

namespace Scalegram.Caching;

/// <summary>Registers the cache tier: FusionCache in memory (embedded); Redis L2 + backplane when configured.</summary>
public static class CachingTier
{
    public static IServiceCollection AddCaching(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CachingOptions>().Bind(configuration.GetSection(CachingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddFusionCache()
            .WithDefaultEntryOptions(new FusionCacheEntryOptions { Duration = TimeSpan.FromMinutes(5) });
        services.AddSingleton<IPostConfigureOptions<FusionCacheOptions>, DurationFromSettings>();
        services.AddSingleton<EntityCache>();
        return services;
    }

    /// <summary>Carries Caching:Duration into FusionCache's default entry options.</summary>
    private sealed class DurationFromSettings(IOptions<CachingOptions> caching) : IPostConfigureOptions<FusionCacheOptions>
    {
        public void PostConfigure(string? name, FusionCacheOptions options) =>
            options.DefaultEntryOptions.Duration = caching.Value.Duration;
    }
}
