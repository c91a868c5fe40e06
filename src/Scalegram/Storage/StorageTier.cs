using Microsoft.Extensions.Options;
using Scalegram.Data;

namespace Scalegram.Storage;

/// <summary>Registers the blob store.</summary>
internal static class StorageTier
{
    public static IServiceCollection AddStorageTier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.Engine == StorageEngine.Local, "Storage:Engine 'S3' is not available in this build; use Local.")
            .ValidateOnStart();
        services.AddSingleton<IBlobStore>(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var data = sp.GetRequiredService<IOptions<DataOptions>>().Value;
            return new LocalBlobStore(storage.Directory ?? Path.Combine(data.Directory, "blobs"));
        });
        return services;
    }
}
