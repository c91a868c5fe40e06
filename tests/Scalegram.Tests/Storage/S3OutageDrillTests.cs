using System.Net;
using Scalegram.Storage;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Storage;

/// <summary>
/// Drill: the S3 server dies (kill -9 of every Swift process). Uploads answer 503 problem+json with
/// Retry-After, the node reports not ready, and nothing is half-written: no photo row, no job, no
/// object. When Swift comes back, uploads work again and the node is ready.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class S3OutageDrillTests : IAsyncLifetime
{
    private SwiftServer _swift = null!;

    public async Task InitializeAsync() => _swift = await SwiftServer.StartAsync();

    public Task DisposeAsync()
    {
        _swift.Stop();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task With_the_store_down_uploads_answer_503_and_nothing_is_half_written()
    {
        await using var server = await TestServer.StartAsync(settings: [.. _swift.Settings("drill"), "--Storage:S3:RetryDelay=00:00:00.100"]);
        using var alice = await ApiClient.SignedInAsync(server, "alice");
        using var probe = server.CreateClient();
        await ApiClient.UploadReadyAsync(alice, TestImages.Jpeg(800, 600));
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/healthz/ready")).StatusCode);
        var rowsBefore = await S3PhotoPipelineTests.PhotoRowsAsync(server);
        var jobsBefore = await Scalegram.Tests.Durability.JobsTable.CountAsync(server, "1=1");
        var objectsBefore = await KeysAsync(server);

        _swift.Crash();

        for (var i = 0; i < 3; i++)
        {
            var refused = await ApiClient.UploadAsync(alice, TestImages.Jpeg(900, 700));
            await ApiClient.AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "storage-unavailable");
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "a 503 says when to come back");
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await probe.GetAsync("/healthz/ready")).StatusCode);
        Assert.Equal(rowsBefore, await S3PhotoPipelineTests.PhotoRowsAsync(server));
        Assert.Equal(jobsBefore, await Scalegram.Tests.Durability.JobsTable.CountAsync(server, "1=1"));

        await _swift.RestartAsync();

        Assert.Equal(objectsBefore, await KeysAsync(server));
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/healthz/ready")).StatusCode);
        var photo = await ApiClient.UploadReadyAsync(alice, TestImages.Jpeg(1000, 800));
        Assert.Equal(3, photo.GetProperty("variants").GetArrayLength());
        Assert.Equal(rowsBefore + 1, await S3PhotoPipelineTests.PhotoRowsAsync(server));
    }

    private static async Task<List<string>> KeysAsync(TestServer server)
    {
        var store = (IBlobStore)server.Services.GetService(typeof(IBlobStore))!;
        var keys = new List<string>();
        await foreach (var blob in store.ListAsync(""))
        {
            keys.Add(blob.Key);
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }
}
