using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Data;
using Scalegram.Roles;
using Scalegram.Storage;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Storage;

/// <summary>
/// The upload pipeline on the S3 store (Swift): originals and variants land in the bucket, not on
/// disk, and a web node and a worker with different data directories (different machines) share it.
/// </summary>
public sealed class S3PhotoPipelineTests
{
    [Fact]
    public async Task A_web_node_and_a_worker_on_different_disks_share_the_bucket()
    {
        var swift = await SwiftServer.SharedAsync();
        var bucket = "pipe-" + Guid.NewGuid().ToString("N")[..12];
        // What separate machines share: the database, the cache (its invalidations) and the bucket.
        string[] shared =
        [
            .. await TestEngines.FreshDatabaseAsync(TestEngine.Postgres),
            .. TestEngines.RedisSettings(await RedisServer.SharedAsync()),
            .. swift.Settings(bucket),
        ];
        await using var web = await TestServer.StartAsync(NodeRole.Web, settings: shared);
        await using var worker = await TestServer.StartAsync(NodeRole.Worker, settings: shared);

        using var alice = await ApiClient.SignedInAsync(web, "alice");
        var photo = await ApiClient.UploadReadyAsync(alice, TestImages.Jpeg(1200, 900));

        var store = Assert.IsType<S3BlobStore>(web.Services.GetRequiredService<IBlobStore>());
        var id = photo.GetProperty("id").GetString()!;
        var keys = new List<string>();
        await foreach (var blob in store.ListAsync(""))
        {
            keys.Add(blob.Key);
        }

        Assert.Single(keys, k => k.StartsWith("originals/", StringComparison.Ordinal));
        Assert.Equal(3 * 3, keys.Count(k => k.StartsWith("p/", StringComparison.Ordinal))); // three variants in JPEG, WebP and AVIF
        Assert.False(Directory.Exists(Path.Combine(web.DataDir, "blobs")) && Directory.EnumerateFiles(Path.Combine(web.DataDir, "blobs"), "*", SearchOption.AllDirectories).Any());
        Assert.False(Directory.Exists(Path.Combine(worker.DataDir, "blobs")) && Directory.EnumerateFiles(Path.Combine(worker.DataDir, "blobs"), "*", SearchOption.AllDirectories).Any());

        // The web node serves the worker's variants from the shared bucket.
        using var anonymous = web.CreateClient();
        foreach (var variant in photo.GetProperty("variants").EnumerateArray())
        {
            var media = await anonymous.GetAsync(variant.GetProperty("url").GetString());
            Assert.Equal(HttpStatusCode.OK, media.StatusCode);
            Assert.Equal("image/jpeg", media.Content.Headers.ContentType?.MediaType);
            Assert.True((await media.Content.ReadAsByteArrayAsync()).Length > 1000);
        }

        // Deleting the photo removes every object it had.
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/photos/{id}")).StatusCode);
        await foreach (var blob in store.ListAsync(""))
        {
            Assert.Fail($"{blob.Key} outlived its photo.");
        }
    }

    [Fact]
    public async Task A_wrong_S3_setting_stops_the_node_at_start_naming_the_key()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestServer.StartAsync(NodeRole.All, null, "--Storage:Engine=S3", "--Storage:S3:ServiceUrl=not a url", "--Storage:S3:AccessKey=a", "--Storage:S3:SecretKey=b", "--Storage:S3:PartSize=1000"));

        Assert.Contains("Storage:S3:ServiceUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:S3:PartSize", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Photos rows on every store of a node's database.</summary>
    internal static async Task<long> PhotoRowsAsync(TestServer server)
    {
        long rows = 0;
        foreach (var store in server.Services.GetRequiredService<Database>().Stores)
        {
            await using var connection = await store.Primary.OpenAsync();
            rows += await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM photos");
        }

        return rows;
    }
}
