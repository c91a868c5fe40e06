namespace Scalegram.Social;

/// <summary>Registers follows (the follower's truth, the followee's mirror), follow requests and account privacy.</summary>
internal static class SocialFeature
{
    public static IServiceCollection AddSocial(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, SocialJsonContext.Default));
        services.AddSingleton<FollowStore>();
        services.AddSingleton<FollowService>();
        services.AddSingleton<FollowRequestStore>();
        services.AddSingleton<PrivacyStore>();
        services.AddSingleton<PrivacyService>();
        services.AddSingleton<Audience>();
        services.AddSingleton<SocialErasure>();
        return services;
    }
}
