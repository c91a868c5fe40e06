using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;
using Xunit.Abstractions;

namespace Scalegram.Tests.Replication;

/// <summary>
/// Read-your-writes against a real standby replaying 4 s behind on purpose (recovery_min_apply_delay), with
/// MaxReplicaLag above that so the standby keeps serving reads: the writer sees their write at once (bearer
/// or cookie, through the node they wrote on or another one sharing Redis) while another user still sees the lag.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class ReadYourWritesTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task The_writer_reads_their_comment_at_once_while_another_user_sees_the_replica_lag()
    {
        await using var nodes = await ReplicatedNode.StartAsync(Delay, TimeSpan.FromMinutes(1));
        using var writer = await ApiClient.NewUserAsync(nodes.Server, "w");
        using var other = await ApiClient.NewUserAsync(nodes.Server, "o");
        var photoId = (await ApiClient.UploadReadyAsync(writer, TestImages.Jpeg(200, 200))).GetProperty("id").GetString()!; // others see it once ready
        await nodes.Replica.CatchUpAsync(TimeSpan.FromSeconds(30));

        var posted = await writer.PostAsJsonAsync($"/api/photos/{photoId}/comments", new { text = "first!" });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        Assert.Contains("first!", await CommentsAsync(writer, photoId));
        Assert.DoesNotContain("first!", await CommentsAsync(other, photoId));

        // Once the standby has replayed the comment, everyone reads it there.
        await nodes.Replica.CatchUpAsync(TimeSpan.FromSeconds(30));
        await nodes.WaitForStandbyAsync(nodes.Server);
        Assert.Contains("first!", await CommentsAsync(other, photoId));

        using var anonymous = nodes.Server.CreateClient();
        var fallbacks = await Scrape.SumAsync(anonymous, "scalegram_db_read_your_writes_fallbacks_total");
        var toReplica = await Scrape.SumAsync(anonymous, "scalegram_db_reads_total", "target=\"replica\"");
        var toPrimary = await Scrape.SumAsync(anonymous, "scalegram_db_reads_total", "target=\"primary\"");
        output.WriteLine($"read-your-writes fallbacks to the primary: {fallbacks}; reads to replica {toReplica}, to primary {toPrimary}");
        Assert.True(fallbacks >= 1, "the writer's read went to the primary because the standby had not replayed the comment");
        Assert.True(toReplica >= 1, "the other user's reads went to the standby");
    }

    [Fact]
    public async Task A_cookie_client_writing_through_one_node_reads_its_write_through_another_sharing_redis()
    {
        var redis = await RedisServer.SharedAsync();
        string[] shared = [.. TestEngines.RedisSettings(redis), $"--Redis:KeyPrefix=ryw{Guid.NewGuid():N}:"];
        await using var nodes = await ReplicatedNode.StartAsync(Delay, TimeSpan.FromMinutes(1), shared);
        var second = await nodes.StartNodeAsync();
        await nodes.WaitForStandbyAsync(second);

        var name = ApiClient.NewName("ck");
        using (var signup = nodes.Server.CreateClient())
        {
            Assert.Equal(HttpStatusCode.Created, (await signup.PostAsJsonAsync("/api/accounts", new { username = name, password = ApiClient.Password })).StatusCode);
        }

        var jar = new CookieContainer();
        using var onA = nodes.Server.CreateCookieClient(jar);
        using var onB = second.CreateCookieClient(jar);
        Assert.Equal(HttpStatusCode.OK, (await onA.PostAsJsonAsync("/api/sessions", new { username = name, password = ApiClient.Password })).StatusCode);
        var csrf = await onA.GetFromJsonAsync<JsonElement>("/api/csrf");
        onA.DefaultRequestHeaders.Add("X-CSRF-TOKEN", csrf.GetProperty("token").GetString());
        var photoId = (await ApiClient.UploadReadyAsync(onA, TestImages.Jpeg(200, 200))).GetProperty("id").GetString()!; // others see it once ready
        using var other = await ApiClient.NewUserAsync(second, "o");
        await nodes.Replica.CatchUpAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Created, (await onA.PostAsJsonAsync($"/api/photos/{photoId}/comments", new { text = "via A" })).StatusCode);

        Assert.Contains("via A", await CommentsAsync(onB, photoId));
        Assert.DoesNotContain("via A", await CommentsAsync(other, photoId));
    }

    private static async Task<string> CommentsAsync(HttpClient client, string photoId)
    {
        var response = await client.GetAsync($"/api/photos/{photoId}/comments");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
