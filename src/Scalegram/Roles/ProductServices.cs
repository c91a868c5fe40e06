using Scalegram.Accounts;
using Scalegram.Cdn;
using Scalegram.Feed;
using Scalegram.Photos;
using Scalegram.Social;

namespace Scalegram.Roles;

/// <summary>The product's services and stores (accounts, photos, social, feed): the same on every role.</summary>
public static class ProductServices
{
    public static IServiceCollection AddProduct(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PhotoOptions>().Bind(configuration.GetSection(PhotoOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CdnOptions>().Bind(configuration.GetSection(CdnOptions.Section))
            .Validate(o => string.IsNullOrEmpty(o.BaseUrl) || Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _), "Cdn:BaseUrl must be an absolute URL.")
            .ValidateOnStart();
        services.AddSingleton<MediaUrls>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<PhotoStore>();
        services.AddSingleton<PhotoService>();
        services.AddSingleton<UploadReader>();
        services.AddSingleton(sp => new UploadSpool(Path.Combine(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Data.DataOptions>>().Value.Directory, "tmp")));
        services.AddSingleton<FollowStore>();
        services.AddSingleton<FollowService>();
        services.AddSingleton<TimelineStore>();
        services.AddSingleton<FeedService>();
        return services;
    }
}
