namespace Scalegram.Cdn;

/// <summary>Registers the CDN tier: where media URLs point (the edge when Cdn:BaseUrl is set, else the origin).</summary>
internal static class CdnTier
{
    public static IServiceCollection AddCdnTier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CdnOptions>().Bind(configuration.GetSection(CdnOptions.Section))
            .Validate(o => string.IsNullOrEmpty(o.BaseUrl) || Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _), "Cdn:BaseUrl must be an absolute URL.")
            .ValidateOnStart();
        services.AddSingleton<MediaUrls>();
        return services;
    }
}
