using Scalegram.Roles;
using Scalegram.SystemTests.Infrastructure;
using Scalegram.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scalegram.SystemTests.Messaging;

/// <summary>A crash between the database commit and the publish: the job waits in the outbox and is published when a node comes back.</summary>
public sealed class OutboxCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_job_committed_while_RabbitMQ_is_down_is_published_after_the_web_node_restarts()
    {
        await using var cluster = await QueuedCluster.StartAsync(output);
        var web = await cluster.StartNodeAsync(NodeRole.Web);
        using var client = await WorkerCrashTests.SignUpAsync(web, "outboxdrill");

        await cluster.Broker.StopAsync();
        var photoId = await ApiClient.UploadOkAsync(client, TestImages.Jpeg(640, 480));
        Assert.Equal(1, await cluster.Store.JobsForPhotoAsync("photo.process", photoId));
        await web.KillAsync(); // the node that committed the job dies before it could publish it
        Assert.Equal("ready", await cluster.Store.ScalarAsync<string>(
            "SELECT state FROM jobs WHERE type = 'photo.process'")); // still unpublished

        await cluster.Broker.RestartAsync();
        var restarted = await cluster.StartNodeAsync(NodeRole.Web);
        await Waits.UntilAsync(
            async () => await cluster.Store.ScalarAsync<string>("SELECT state FROM jobs WHERE type = 'photo.process'") == "published",
            TimeSpan.FromSeconds(60), "the restarted web node to relay the job");

        await cluster.StartNodeAsync(NodeRole.Worker);
        using var again = restarted.CreateClient();
        again.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        var photo = await ApiClient.WaitForPhotoAsync(again, photoId, TimeSpan.FromSeconds(120));
        Assert.Equal("ready", photo.GetProperty("status").GetString());
    }
}
