using Scalegram.Roles;
using Scalegram.SystemTests.Infrastructure;
using Scalegram.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scalegram.SystemTests.Messaging;

/// <summary>RabbitMQ restarted while jobs flow: every upload that was accepted ends ready, none is lost.</summary>
public sealed class BrokerRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Restarting_RabbitMQ_while_jobs_flow_loses_no_job()
    {
        await using var cluster = await QueuedCluster.StartAsync(output);
        var web = await cluster.StartNodeAsync(NodeRole.Web);
        await cluster.StartNodeAsync(NodeRole.Worker);
        using var client = await WorkerCrashTests.SignUpAsync(web, "restartdrill");
        var photos = new List<string>();
        var image = TestImages.Jpeg(640, 480);

        for (var i = 0; i < 5; i++)
        {
            photos.Add(await ApiClient.UploadOkAsync(client, image));
        }

        // Some of those are queued, some being processed, some done: now the broker goes away.
        await cluster.Broker.StopAsync();
        for (var i = 0; i < 5; i++)
        {
            photos.Add(await ApiClient.UploadOkAsync(client, image)); // accepted: the outbox keeps them
        }

        await cluster.Broker.RestartAsync();
        output.WriteLine($"RabbitMQ back after {cluster.Broker.StartupTime.TotalSeconds:F1} s");
        for (var i = 0; i < 5; i++)
        {
            photos.Add(await ApiClient.UploadOkAsync(client, image));
        }

        foreach (var id in photos)
        {
            var photo = await ApiClient.WaitForPhotoAsync(client, id, TimeSpan.FromSeconds(120));
            Assert.Equal("ready", photo.GetProperty("status").GetString());
        }

        Assert.Equal(0, await cluster.Store.ScalarAsync<long>("SELECT COUNT(*) FROM jobs WHERE state = 'ready' AND type = 'photo.process'"));
    }
}
