namespace Scalegram.Social;

/// <summary>Registers follows: the follower's truth, the followee's mirror.</summary>
internal static class SocialFeature
{
    public static IServiceCollection AddSocial(this IServiceCollection services)
    {
        services.AddSingleton<FollowStore>();
        services.AddSingleton<FollowService>();
        return services;
    }
}
