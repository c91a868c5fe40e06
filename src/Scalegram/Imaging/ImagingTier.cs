namespace Scalegram.Imaging;

/// <summary>Sets up libvips (NetVips) for the upload probe and the photo pipeline.</summary>
internal static class ImagingTier
{
    public static IServiceCollection AddImagingTier(this IServiceCollection services)
    {
        // No operation cache: every image is processed once, and a cache would only hold memory.
        NetVips.Cache.Max = 0;
        return services;
    }
}
