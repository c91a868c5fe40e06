using Microsoft.Extensions.Options;

namespace Scalegram.Cdn;

/// <summary>
/// Registers the CDN tier: where media URLs point (the edge while Cdn:BaseUrl is set and healthy, else
/// the origin), purging deleted media from the edges, and the edges' figures.
/// </summary>
internal static class CdnTier
{
    public static IServiceCollection AddCdnTier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CdnOptions>().Bind(configuration.GetSection(CdnOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CdnOptions>, CdnOptionsValidator>();
        services.AddSingleton<EdgeHealth>();
        services.AddHostedService(sp => sp.GetRequiredService<EdgeHealth>());
        services.AddSingleton<EdgeStats>();
        services.AddHostedService(sp =>
        {
            // The gauges exist from start-up, not from the first purge that happens to need them.
            _ = sp.GetRequiredService<CdnMetrics>();
            return sp.GetRequiredService<EdgeStats>();
        });
        services.AddSingleton<CdnMetrics>();
        services.AddSingleton<EdgePurger>();
        services.AddSingleton<MediaUrls>();
        services.AddSingleton<MediaSigningKey>();
        services.AddSingleton<MediaSigner>();
        return services;
    }
}
