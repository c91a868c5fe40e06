using Microsoft.Extensions.Options;
using Scalegram.Data;

namespace Scalegram.Photos;

/// <summary>Registers photos: upload limits (section "Photos", validated at start), the store, the service and the upload reader.</summary>
internal static class PhotosFeature
{
    public static IServiceCollection AddPhotos(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PhotoOptions>().Bind(configuration.GetSection(PhotoOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, PhotoJsonContext.Default));
        services.AddSingleton<PhotoStore>();
        services.AddSingleton<PhotoService>();
        services.AddSingleton<UploadReader>();
        services.AddSingleton<UploadLimiter>();
        services.AddSingleton<PhotoErasure>();
        services.AddSingleton(sp => new UploadSpool(Path.Combine(sp.GetRequiredService<IOptions<DataOptions>>().Value.Directory, "tmp")));
        services.AddHostedService<UploadSpoolSweeper>();
        return services;
    }
}
