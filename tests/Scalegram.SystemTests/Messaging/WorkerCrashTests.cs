using System.Text.Json;
using Scalegram.Roles;
using Scalegram.SystemTests.Infrastructure;
using Scalegram.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scalegram.SystemTests.Messaging;

/// <summary>kill -9 of a worker mid-job on RabbitMQ: the unacked message is redelivered and the job completes once in effect.</summary>
public sealed class WorkerCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_worker_killed_mid_job_leaves_the_job_to_another_worker_which_completes_it_once()
    {
        await using var cluster = await QueuedCluster.StartAsync(output);
        var web = await cluster.StartNodeAsync(NodeRole.Web);
        var worker = await cluster.StartNodeAsync(NodeRole.Worker, "--Messaging:Concurrency=1", "--Messaging:RabbitMq:Prefetch=1");
        using var anonymous = web.CreateClient();
        using var client = await SignUpAsync(web, "crashdrill");

        // A 49-megapixel PNG keeps the pipeline busy for seconds (PNG has no shrink-on-load, so every
        // pixel is inflated) while uploading only a few kB: long enough to see the job running and kill
        // the worker inside it. A JPEG finished between two /metrics polls on a quiet machine.
        var photoId = await ApiClient.UploadOkAsync(client, TestImages.FlatPng(7000, 7000));
        using var workerClient = worker.CreateClient();
        try
        {
            await Waits.UntilAsync(
                async () => await Waits.MetricAsync(workerClient, "scalegram_queue_jobs_running", "queue=\"photos\"") == 1, TimeSpan.FromSeconds(30), "the worker to start the job");
        }
        catch (TimeoutException e)
        {
            // Say which way it went wrong: never delivered (still processing, queued) or too fast to catch (ready).
            var queued = await cluster.QueuesAsync();
            throw new TimeoutException($"{e.Message}; photo {await cluster.Store.PhotoStatusAsync(photoId)}; queues {string.Join(", ", queued.Select(q => $"{q.Key}={q.Value}"))}", e);
        }

        await worker.KillAsync();
        Assert.Equal("processing", await cluster.Store.PhotoStatusAsync(photoId));
        var queues = await cluster.QueuesAsync();
        output.WriteLine($"killed worker {worker.Pid} mid-job; queues: {string.Join(", ", queues.Select(q => $"{q.Key}={q.Value}"))}");

        var second = await cluster.StartNodeAsync(NodeRole.Worker);
        var photo = await ApiClient.WaitForPhotoAsync(client, photoId, TimeSpan.FromSeconds(180));
        Assert.True(photo.GetProperty("status").GetString() == "ready", $"{photo}\n{second.Output}");

        // One set of variants: every stored key is the one the photo names, none twice.
        var keys = photo.GetProperty("variants").EnumerateArray().SelectMany(v => v.GetProperty("sources").EnumerateArray()).Select(s => s.GetProperty("url").GetString()!).ToList();
        var files = Directory.GetFiles(Path.Combine(cluster.DataDir, "blobs", "p", photoId)).Select(Path.GetFileName).ToList();
        Assert.Equal(keys.Count, files.Count);
        Assert.All(files, f => Assert.Contains(keys, k => k.EndsWith(f!, StringComparison.Ordinal)));

        // One state transition: only the run that turned the photo ready enqueued its fan-out.
        Assert.Equal(1, await cluster.Store.JobsForPhotoAsync("feed.fanout", photoId));
        using var secondClient = second.CreateClient();
        Assert.Equal(1, await Waits.MetricAsync(secondClient, "scalegram_queue_jobs_total", "type=\"photo.process\"", "outcome=\"ok\""));
    }

    internal static Task<HttpClient> SignUpAsync(NodeProcess web, string username) => SignUpAsync(web.CreateClient(), username);

    /// <summary>Signs up through <paramref name="node"/> and returns a client for the same node carrying the session's bearer token.</summary>
    internal static async Task<HttpClient> SignUpAsync(HttpClient node, string username)
    {
        using (node)
        {
            var created = await node.PostAsync("/api/accounts", JsonContent(new { username, password = ApiClient.Password }));
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
            var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = node.BaseAddress };
            client.DefaultRequestHeaders.Authorization = new("Bearer", await ApiClient.TokenAsync(node, username));
            return client;
        }
    }

    private static StringContent JsonContent(object value) => new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
