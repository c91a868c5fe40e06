using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Durability;

/// <summary>
/// kill -9 against the real executable: a job accepted before the kill is done after the restart,
/// and a job whose worker died mid-run is run again once its lease expires.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class KillTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "scalegram-kill-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<(string Name, string Token)> SignUpAsync(HttpClient client)
    {
        var name = ApiClient.NewName("kill");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/accounts", new { username = name, password = ApiClient.Password })).StatusCode);
        return (name, await ApiClient.TokenAsync(client, name));
    }

    [Fact]
    public async Task A_photo_accepted_before_kill_9_is_processed_after_restart_and_the_account_and_session_survive()
    {
        string name, token, photoId;
        await using (var web = await NodeProcess.StartAsync(NodeRole.Web, _dataDir))
        {
            using var client = web.CreateClient();
            (name, token) = await SignUpAsync(client);
            using var user = web.CreateClient(token);
            photoId = await ApiClient.UploadOkAsync(user, TestImages.Jpeg(800, 600));

            // The web role runs no worker: the job waits in the queue.
            Assert.Equal("processing", (await user.GetFromJsonAsync<JsonElement>($"/api/photos/{photoId}")).GetProperty("status").GetString());
            Assert.Equal(1, await JobsTable.CountAsync(_dataDir, "type = 'photo.process' AND state = 'ready'"));
            await web.KillAsync();
        }

        await using var all = await NodeProcess.StartAsync(NodeRole.All, _dataDir);
        using var again = all.CreateClient(token);
        Assert.Equal(name, await ApiClient.UsernameAsync(again));
        var photo = await ApiClient.WaitForPhotoAsync(again, photoId);
        Assert.True(photo.GetProperty("status").GetString() == "ready", $"photo is {photo}; node output:\n{all.Output}");
        using var media = all.CreateClient();
        var large = await media.GetAsync(photo.GetProperty("variants").EnumerateArray().First(v => v.GetProperty("name").GetString() == "large").GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, large.StatusCode);

        // The real process exports its metrics: request durations and the app's own series.
        var metrics = await media.GetStringAsync("/metrics");
        Assert.Contains("http_server_request_duration_seconds_bucket", metrics);
        Assert.Contains("scalegram_queue_jobs_total", metrics);
        Assert.Contains("scalegram_db_calls_total", metrics);
    }

    [Fact]
    public async Task A_job_whose_worker_was_killed_mid_run_runs_again_after_its_lease_expires()
    {
        string token, photoId;
        await using (var web = await NodeProcess.StartAsync(NodeRole.Web, _dataDir))
        {
            using var client = web.CreateClient();
            (_, token) = await SignUpAsync(client);
            using var user = web.CreateClient(token);
            photoId = await ApiClient.UploadOkAsync(user, TestImages.Jpeg(800, 600));
            await web.KillAsync();
        }

        // What a worker killed mid-run leaves behind: the job claimed (attempt 1), leased to a process
        // that no longer exists, the lease still running. Written directly so the test does not race a real worker.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(1, await JobsTable.ExecuteAsync(
            _dataDir,
            "UPDATE jobs SET attempts = 1, leased_by = 'dead-host:1:gone', lease_until = @until WHERE type = 'photo.process'",
            new { until = now + 2000 }));

        await using var all = await NodeProcess.StartAsync(NodeRole.All, _dataDir, "--Messaging:Lease=00:00:02");
        using var again = all.CreateClient(token);
        var photo = await ApiClient.WaitForPhotoAsync(again, photoId, TimeSpan.FromSeconds(60));
        Assert.True(photo.GetProperty("status").GetString() == "ready", $"photo is {photo}; node output:\n{all.Output}");
        Assert.Equal(0, await JobsTable.CountAsync(_dataDir, "type = 'photo.process'"));
    }
}
