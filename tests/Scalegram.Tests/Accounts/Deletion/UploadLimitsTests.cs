using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Accounts.Deletion;

/// <summary>Per-user upload rate (429 + Retry-After) and photo quota (403); a refused upload stores nothing.</summary>
public class UploadLimitsTests : ApiTestBase
{
    protected override string[] Settings => ["--Photos:UploadsPerHour=2", "--Photos:MaxPhotosPerUser=3"];

    [Fact]
    public async Task Over_the_hourly_rate_an_upload_gets_429_with_Retry_After_and_nothing_is_stored_other_users_are_not_affected()
    {
        using var user = await ApiClient.NewUserAsync(Server, "rate");
        using var other = await ApiClient.NewUserAsync(Server, "rate2");
        await ApiClient.UploadOkAsync(user, TestImages.Jpeg(60, 60));
        await ApiClient.UploadOkAsync(user, TestImages.Jpeg(61, 60));
        var originals = OriginalsCount();

        var refused = await ApiClient.UploadAsync(user, TestImages.Jpeg(62, 60));
        var problem = await ApiClient.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "upload-rate-limited");
        Assert.Contains("Photos:UploadsPerHour", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);

        Assert.Equal(originals, OriginalsCount());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Server.DataDir, "tmp")));
        Assert.Equal(2, (await user.GetFromJsonAsync<JsonElement>($"/api/users/{await ApiClient.UsernameAsync(user)}")).GetProperty("photos").GetInt64());
        await ApiClient.UploadOkAsync(other, TestImages.Jpeg(63, 60));
    }

    [Fact]
    public async Task Over_the_photo_quota_an_upload_gets_403_until_a_photo_is_deleted()
    {
        await using var server = await TestServer.StartAsync(settings: [.. await TestEngines.FreshDatabaseAsync(Engine), "--Photos:MaxPhotosPerUser=2"]);
        using var user = await ApiClient.NewUserAsync(server, "quota");
        var first = await ApiClient.UploadOkAsync(user, TestImages.Jpeg(60, 60));
        await ApiClient.UploadOkAsync(user, TestImages.Jpeg(61, 60));

        var problem = await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(user, TestImages.Jpeg(62, 60)), HttpStatusCode.Forbidden, "upload-quota-exceeded");
        Assert.Contains("Photos:MaxPhotosPerUser", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await user.GetFromJsonAsync<JsonElement>($"/api/users/{await ApiClient.UsernameAsync(user)}")).GetProperty("photos").GetInt64());

        await ApiClient.WaitForPhotoAsync(user, first);
        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync($"/api/photos/{first}")).StatusCode);
        await ApiClient.UploadOkAsync(user, TestImages.Jpeg(63, 60));
    }

    [Theory]
    [InlineData("--Photos:UploadsPerHour=-1", "Photos:UploadsPerHour")]
    [InlineData("--Photos:MaxPhotosPerUser=-5", "Photos:MaxPhotosPerUser")]
    public async Task A_bad_limit_setting_fails_at_start_naming_the_key(string setting, string key)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => StartServerAsync(setting));
        Assert.Contains(key, e.ToString(), StringComparison.Ordinal);
    }

    private int OriginalsCount()
    {
        var originals = Path.Combine(Server.DataDir, "blobs", "originals");
        return Directory.Exists(originals) ? Directory.EnumerateFiles(originals).Count() : 0;
    }
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class UploadLimitsTestsOnPostgres : UploadLimitsTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}

/// <summary>Across nodes: the upload rate is one budget in Redis, and a deleted account's sessions end on every node.</summary>
public sealed class SharedUploadLimitTests
{
    [Fact]
    public async Task An_account_deleted_through_one_node_is_signed_out_and_gone_on_the_other_at_once()
    {
        await using var nodes = await WebNodes.StartAsync(await RedisServer.SharedAsync(), 2);
        var name = ApiClient.NewName("two");
        using var a = await ApiClient.SignedInAsync(nodes.A, name);
        using var b = nodes.B.CreateClient(await ApiClient.TokenAsync(nodes.B.CreateClient(), name));
        using var viewer = nodes.B.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/users/{name}")).StatusCode); // cached on B

        Assert.Equal(HttpStatusCode.Accepted, (await DeletionWorld.DeleteAccountAsync(a, ApiClient.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/users/{name}")).StatusCode);
    }

    [Fact]
    public async Task Uploads_through_two_nodes_count_against_one_budget_in_Redis()
    {
        await using var nodes = await WebNodes.StartAsync(await RedisServer.SharedAsync(), 2, "--Photos:UploadsPerHour=2");
        var name = ApiClient.NewName("shr");
        using var a = await ApiClient.SignedInAsync(nodes.A, name);
        using var b = nodes.B.CreateClient(await ApiClient.TokenAsync(nodes.B.CreateClient(), name));
        await ApiClient.UploadOkAsync(a, TestImages.Jpeg(60, 60));
        await ApiClient.UploadOkAsync(b, TestImages.Jpeg(61, 60));

        // Each node alone has seen one upload: only a shared count refuses the third.
        await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(a, TestImages.Jpeg(62, 60)), HttpStatusCode.TooManyRequests, "upload-rate-limited");
        await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(b, TestImages.Jpeg(63, 60)), HttpStatusCode.TooManyRequests, "upload-rate-limited");
    }
}
