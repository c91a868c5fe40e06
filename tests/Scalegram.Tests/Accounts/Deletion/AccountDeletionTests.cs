using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Data;
using Scalegram.Jobs;
using Scalegram.Messaging;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;
using Scalegram.Workers;

namespace Scalegram.Tests.Accounts.Deletion;

/// <summary>
/// Deleting an account, on two stores: gone at once for everyone, then the account.delete job erases every
/// row and blob it left on every store; rerunning it changes nothing, and a run that crashed halfway resumes.
/// </summary>
[Collection(HeavyCollection.Name)]
public class AccountDeletionTests : IAsyncLifetime
{
    private readonly List<TestServer> _servers = [];
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "scalegram-test-" + Guid.NewGuid().ToString("N"));
    private string[] _stores = [];

    protected virtual TestEngine Engine => TestEngine.Sqlite;

    public async Task InitializeAsync()
    {
        if (Engine == TestEngine.Postgres)
        {
            var postgres = await PostgresServer.SharedAsync();
            _stores = [.. TestEngines.PostgresSettings(await postgres.CreateDatabaseAsync()), $"--Data:Postgres:Stores:1:Primary={await postgres.CreateDatabaseAsync()}"];
        }
        else
        {
            _stores = ["--Data:SqliteStores=2"];
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Deleting_hides_the_account_at_once_and_the_job_erases_every_row_and_blob_on_every_store_and_a_rerun_changes_nothing()
    {
        var server = await StartAsync(NodeRole.All);
        using var world = await DeletionWorld.CreateAsync(server);
        var friendPhotoLikes = await DeletionWorld.LikesAsync(world.Friend, world.FriendPhoto);
        var fanPhotoLikes = await DeletionWorld.LikesAsync(world.Fan, world.FanPhoto);
        Assert.Equal(2, friendPhotoLikes);
        using var signIn = server.CreateClient();

        var response = await DeletionWorld.DeleteAccountAsync(world.Victim, ApiClient.Password);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        // At once, whatever the job has done yet: no profile, no session, no sign-in, nothing in anyone's feed.
        await ApiClient.AssertProblemAsync(await world.Fan.GetAsync($"/api/users/{world.VictimName}"), HttpStatusCode.NotFound, "not-found");
        await ApiClient.AssertProblemAsync(await world.Friend.GetAsync($"/api/users/{world.VictimName}/photos"), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Victim.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await signIn.PostAsJsonAsync("/api/sessions", new { username = world.VictimName, password = ApiClient.Password })).StatusCode);
        Assert.Empty((await DeletionWorld.FeedIdsAsync(world.Friend)).Intersect(world.VictimPhotos));
        Assert.Empty((await DeletionWorld.FeedIdsAsync(world.Fan)).Intersect(world.VictimPhotos));
        await ApiClient.AssertProblemAsync(await world.Friend.GetAsync($"/api/photos/{world.VictimPhotos[0]}"), HttpStatusCode.NotFound, "not-found");
        var comments = await world.Friend.GetFromJsonAsync<JsonElement>($"/api/photos/{world.FriendPhoto}/comments");
        Assert.DoesNotContain(comments.GetProperty("items").EnumerateArray(), c => c.GetProperty("author").GetProperty("username").GetString() == world.VictimName);

        await DeletionWorld.Eventually(async () => (await world.RowsAsync(server)).Values.All(v => v == 0), "the account.delete job");
        await DeletionWorld.Eventually(async () => await PendingJobsAsync(server) == 0, "the purge jobs");
        AssertNothingLeft(await world.RowsAsync(server));
        Assert.Equal(friendPhotoLikes - 1, await DeletionWorld.LikesAsync(world.Friend, world.FriendPhoto));
        Assert.Equal(fanPhotoLikes - 1, await DeletionWorld.LikesAsync(world.Fan, world.FanPhoto));
        var friendComments = await world.Friend.GetFromJsonAsync<JsonElement>($"/api/photos/{world.FriendPhoto}");
        Assert.Equal(1, friendComments.GetProperty("comments").GetInt64());
        var friendProfile = await world.Fan.GetFromJsonAsync<JsonElement>($"/api/users/{await ApiClient.UsernameAsync(world.Friend)}");
        Assert.Equal(0, friendProfile.GetProperty("followers").GetInt64());
        Assert.Equal(0, friendProfile.GetProperty("following").GetInt64());
        Assert.Empty((await DeletionWorld.FeedIdsAsync(world.Friend)).Intersect(world.VictimPhotos));

        // The job again (a redelivery): nothing to do, nothing changes, nothing is enqueued.
        var eraser = server.Services.GetRequiredService<AccountEraser>();
        await eraser.RunAsync(new AccountDeletionJob(world.VictimId, world.VictimName, DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeMilliseconds()), CancellationToken.None);
        AssertNothingLeft(await world.RowsAsync(server));
        Assert.Equal(0, await PendingJobsAsync(server));
        Assert.Equal(friendPhotoLikes - 1, await DeletionWorld.LikesAsync(world.Friend, world.FriendPhoto));

        // The session is gone for good: the old token does not come back, and a second delete is refused.
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeletionWorld.DeleteAccountAsync(world.Victim, ApiClient.Password)).StatusCode);
    }

    [Fact]
    public async Task A_run_that_crashes_halfway_resumes_on_rerun_and_sends_each_photo_purge_exactly_once()
    {
        var builder = await StartAsync(NodeRole.All);
        using var world = await DeletionWorld.CreateAsync(builder);
        await DeletionWorld.Eventually(async () => await PendingJobsAsync(builder) == 0);
        await builder.DisposeAsync();

        // A web-only node on the same data: the account.delete job waits in the outbox for this test to run it.
        var server = await StartAsync(NodeRole.Web, "--Accounts:DeletionBatchSize=1");
        using var victim = server.CreateClient(await ApiClient.TokenAsync(server.CreateClient(), world.VictimName));
        Assert.Equal(HttpStatusCode.Accepted, (await DeletionWorld.DeleteAccountAsync(victim, ApiClient.Password)).StatusCode);
        var job = await SingleJobAsync(server);
        var eraser = ActivatorUtilities.CreateInstance<AccountEraser>(server.Services);

        var steps = new List<string>();
        var crash = await Assert.ThrowsAsync<InvalidOperationException>(() => eraser.RunAsync(job, CancellationToken.None, step =>
        {
            steps.Add(step);
            return step == "following" ? throw new InvalidOperationException("crash") : Task.CompletedTask;
        }));
        Assert.Equal("crash", crash.Message);
        Assert.Equal(3, steps.Count(s => s == "photos"));
        var partial = await world.RowsAsync(server);
        Assert.Equal(0, partial["photos"]);
        Assert.Equal(0, partial["photo blobs"]);
        Assert.True(partial["following"] + partial["followers"] > 0, "the crash came before the follow edges were all gone");
        Assert.True(partial["users"] == 1 && partial["sessions"] > 0, "the crash came before the user row and sessions went");

        await eraser.RunAsync(job, CancellationToken.None);
        AssertNothingLeft(await world.RowsAsync(server));
        await eraser.RunAsync(job, CancellationToken.None);
        AssertNothingLeft(await world.RowsAsync(server));

        // Each photo's purge was enqueued with its delete, in the same transaction: once, whatever the reruns.
        var purges = await JobPayloadsAsync(server, JobTypes.PurgeEdge);
        Assert.Equal(world.VictimPhotos.Order(), purges.Select(p => JsonSerializer.Deserialize<PurgePhotoJob>(p, JobJson.Options)!.PhotoId).Order());
        Assert.Equal(3, (await JobPayloadsAsync(server, JobTypes.PurgePhoto)).Count);
    }

    [Fact]
    public async Task Deleting_needs_the_current_password_and_bad_input_is_a_4xx()
    {
        var server = await StartAsync(NodeRole.All);
        using var user = await ApiClient.NewUserAsync(server, "pw");
        await ApiClient.AssertProblemAsync(await DeletionWorld.DeleteAccountAsync(user, null), HttpStatusCode.BadRequest, "password-required");
        await ApiClient.AssertProblemAsync(await DeletionWorld.DeleteAccountAsync(user, "not the password"), HttpStatusCode.Forbidden, "wrong-password");
        await ApiClient.AssertProblemAsync(await DeletionWorld.DeleteAccountAsync(user, new string('x', 5000)), HttpStatusCode.Forbidden, "wrong-password");
        using (var notJson = new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json") })
        {
            var response = await user.SendAsync(notJson);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        using (var anonymous = server.CreateClient())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await DeletionWorld.DeleteAccountAsync(anonymous, ApiClient.Password)).StatusCode);
        }

        // Still there after all of that; the POST form of the request deletes it.
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await user.PostAsJsonAsync("/api/me/deletion", new { password = ApiClient.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/api/me")).StatusCode);
    }

    private static void AssertNothingLeft(IReadOnlyDictionary<string, long> rows) =>
        Assert.True(rows.Values.All(v => v == 0), "left behind: " + string.Join(", ", rows.Where(r => r.Value > 0).Select(r => $"{r.Key}={r.Value}")));

    private async Task<TestServer> StartAsync(NodeRole role, params string[] settings)
    {
        var server = await TestServer.StartAsync(role, _dataDir, [.. _stores, .. settings]);
        _servers.Add(server);
        return server;
    }

    private static async Task<long> PendingJobsAsync(TestServer server)
    {
        long pending = 0;
        foreach (var store in server.Services.GetRequiredService<Database>().Stores)
        {
            await using var connection = await store.Primary.OpenAsync(CancellationToken.None);
            pending += await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM jobs WHERE state <> 'dead'");
        }

        return pending;
    }

    private static async Task<IReadOnlyList<string>> JobPayloadsAsync(TestServer server, string type)
    {
        var payloads = new List<string>();
        foreach (var store in server.Services.GetRequiredService<Database>().Stores)
        {
            await using var connection = await store.Primary.OpenAsync(CancellationToken.None);
            payloads.AddRange(await connection.QueryAsync<string>("SELECT payload FROM jobs WHERE type = @type", new { type }));
        }

        return payloads;
    }

    private static async Task<AccountDeletionJob> SingleJobAsync(TestServer server) =>
        JsonSerializer.Deserialize<AccountDeletionJob>(Assert.Single(await JobPayloadsAsync(server, JobTypes.DeleteAccount)), JobJson.Options)!;
}

/// <summary>The same on PostgreSQL, with two databases as the two stores.</summary>
public sealed class AccountDeletionTestsOnPostgres : AccountDeletionTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
