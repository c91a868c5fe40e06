using Scalegram.Storage;

namespace Scalegram.Tests.Storage;

/// <summary>The blob store contract on local disk.</summary>
public sealed class LocalBlobStoreContractTests : BlobStoreContract
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "scalegram-contract-" + Guid.NewGuid().ToString("N"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Listing_skips_the_temp_folder_of_puts_in_flight()
    {
        Directory.CreateDirectory(Path.Combine(_root, ".tmp"));
        await File.WriteAllBytesAsync(Path.Combine(_root, ".tmp", "0123abcd"), [1]);
        await Store.PutAsync("p/1/a.jpg", new MemoryStream([1]));

        Assert.Equal(["p/1/a.jpg"], await ListAsync(""));
    }

    internal override Task<IBlobStore> CreateStoreAsync() => Task.FromResult<IBlobStore>(new LocalBlobStore(_root));
}
