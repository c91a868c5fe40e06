using Scalegram.Photos;
using Scalegram.Social;

namespace Scalegram.Feed;

/// <summary>Registers the home feed and its timelines, which listen to photo and follow changes.</summary>
internal static class FeedFeature
{
    public static IServiceCollection AddFeed(this IServiceCollection services)
    {
        services.AddSingleton<TimelineStore>();
        services.AddSingleton<IPhotoListener>(sp => sp.GetRequiredService<TimelineStore>());
        services.AddSingleton<IFollowListener>(sp => sp.GetRequiredService<TimelineStore>());
        services.AddSingleton<FeedService>();
        services.AddSingleton<IPhotoAudience, PhotoAudience>();
        services.AddSingleton<Scalegram.Cdn.IMediaAccess, MediaAccess>();
        services.AddSingleton<IPrivacyListener, PrivateMediaPurge>();
        return services;
    }
}
