using Microsoft.Extensions.Options;
using Scalegram.Data;

namespace Scalegram.Storage;

/// <summary>Registers the blob store the configuration chooses (Storage:Engine), its bucket set-up and its readiness check.</summary>
internal static class StorageTier
{
    public static IServiceCollection AddStorageTier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton<IBlobStore>(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (storage.Engine == StorageEngine.S3)
            {
                return new S3BlobStore(storage.S3, sp.GetRequiredService<ILogger<S3BlobStore>>());
            }

            var data = sp.GetRequiredService<IOptions<DataOptions>>().Value;
            return new LocalBlobStore(LocalDirectory(storage, data));
        });
        services.AddHostedService<BucketInitializer>();
        services.AddHealthChecks().AddCheck<BlobStoreHealthCheck>("blob-store", tags: ["ready"]);
        return services;
    }

    /// <summary>Where Local blobs live: Storage:Directory, else DATA_DIR/blobs.</summary>
    public static string LocalDirectory(StorageOptions storage, DataOptions data) => storage.Directory ?? Path.Combine(data.Directory, "blobs");
}
