using Scalegram.Roles;
using Scalegram.SystemTests.Infrastructure;
using Scalegram.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scalegram.SystemTests.Messaging;

/// <summary>A job that always fails lands in the dead-letter queue after Messaging:MaxAttempts, visible in /metrics, while other jobs keep flowing.</summary>
public sealed class PoisonJobTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_poison_job_is_dead_lettered_after_the_configured_attempts_and_others_still_run()
    {
        await using var cluster = await QueuedCluster.StartAsync(output);
        var web = await cluster.StartNodeAsync(NodeRole.Web, "--Messaging:MaxAttempts=3");
        var worker = await cluster.StartNodeAsync(NodeRole.Worker, "--Messaging:MaxAttempts=3");
        using var client = await WorkerCrashTests.SignUpAsync(web, "poisondrill");
        using var workerClient = worker.CreateClient();

        // A photo.process job whose payload can never be read: every attempt throws (not a
        // PermanentJobFailure), so it goes through every backoff step before it is parked.
        await cluster.Store.ExecuteAsync(
            """
            INSERT INTO jobs (id, queue, type, payload, state, attempts, run_after, created_at)
            VALUES (4242, 'photos', 'photo.process', '{"photoId":"not-a-number"}', 'ready', 0, 0, 0)
            """);
        var good = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            good.Add(await ApiClient.UploadOkAsync(client, TestImages.Jpeg(640, 480)));
        }

        foreach (var id in good)
        {
            Assert.Equal("ready", (await ApiClient.WaitForPhotoAsync(client, id, TimeSpan.FromSeconds(120))).GetProperty("status").GetString());
        }

        await Waits.UntilAsync(
            async () => await Waits.MetricAsync(workerClient, "scalegram_queue_depth", "queue=\"photos\"", "state=\"dead\"") == 1,
            TimeSpan.FromSeconds(60), "the poison job in the photos dead-letter queue");
        Assert.Equal(2, await Waits.MetricAsync(workerClient, "scalegram_queue_jobs_total", "type=\"photo.process\"", "outcome=\"retry\""));
        Assert.Equal(1, await Waits.MetricAsync(workerClient, "scalegram_queue_jobs_total", "type=\"photo.process\"", "outcome=\"dead\""));
        Assert.Equal(3, await Waits.MetricAsync(workerClient, "scalegram_queue_jobs_total", "type=\"photo.process\"", "outcome=\"ok\""));

        // Operators see it with the CLI, and can put it back.
        var listed = await cluster.RunCliAsync("jobs", "dead", "--queue", "photos");
        Assert.Contains("4242", listed);
        Assert.Contains("attempt 3", listed);
        Assert.Contains("Requeued 1 job(s)", await cluster.RunCliAsync("jobs", "dead", "--queue", "photos", "--requeue"));
        await Waits.UntilAsync(
            async () => await Waits.MetricAsync(workerClient, "scalegram_queue_jobs_total", "type=\"photo.process\"", "outcome=\"dead\"") == 2,
            TimeSpan.FromSeconds(60), "the requeued poison job to run its attempts again and return to the dead-letter queue");
    }
}
