using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Data;
using Scalegram.Tests.Infrastructure;
using Scalegram.Web.Idempotency;

namespace Scalegram.Tests.Api;

/// <summary>Idempotency-Key on the creating POSTs: a retry replays the first answer and creates nothing new.</summary>
public class IdempotencyKeyTests : ApiTestBase
{
    [Fact]
    public async Task An_upload_retried_with_its_key_replays_the_answer_and_creates_one_photo()
    {
        using var owner = await ApiClient.NewUserAsync(Server, "idem_up");
        var name = await ApiClient.UsernameAsync(owner);
        var jpeg = TestImages.Jpeg(120, 80);

        // Each call builds the form afresh, with a new random multipart boundary, as a retrying client would.
        using var first = await UploadAsync(owner, jpeg, "k-upload-1");
        using var retry = await UploadAsync(owner, jpeg, "k-upload-1");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await AssertReplayOfAsync(first, retry);
        Assert.Equal(1, await PhotoCountAsync(owner, name));

        using var other = await UploadAsync(owner, jpeg, "k-upload-2");
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        Assert.False(other.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await PhotoCountAsync(owner, name));

        using var changed = await UploadAsync(owner, TestImages.Jpeg(120, 81), "k-upload-1");
        await ApiClient.AssertProblemAsync(changed, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Assert.Equal(2, await PhotoCountAsync(owner, name));
    }

    [Fact]
    public async Task A_comment_retried_with_its_key_is_made_once_and_a_different_request_under_it_is_422()
    {
        using var user = await ApiClient.NewUserAsync(Server, "idem_c");
        var photo = await ApiClient.UploadOkAsync(user, TestImages.Jpeg(60, 60));
        var another = await ApiClient.UploadOkAsync(user, TestImages.Jpeg(60, 61));

        using var first = await CommentAsync(user, photo, "nice", "k-comment");
        using var retry = await CommentAsync(user, photo, "nice", "k-comment");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await AssertReplayOfAsync(first, retry);
        Assert.Equal(1, await CommentCountAsync(user, photo));

        using var second = await CommentAsync(user, photo, "nice", "k-comment-2");
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(2, await CommentCountAsync(user, photo));

        await ApiClient.AssertProblemAsync(await CommentAsync(user, photo, "other text", "k-comment"), HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        await ApiClient.AssertProblemAsync(await CommentAsync(user, another, "nice", "k-comment"), HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Assert.Equal(2, await CommentCountAsync(user, photo));
        Assert.Equal(0, await CommentCountAsync(user, another));

        // A client error is an answer too: replayed, not run again.
        using var missing = await CommentAsync(user, "123456789", "nice", "k-missing");
        using var missingAgain = await CommentAsync(user, "123456789", "nice", "k-missing");
        await ApiClient.AssertProblemAsync(missing, HttpStatusCode.NotFound, "not-found");
        await AssertReplayOfAsync(missing, missingAgain);
    }

    [Fact]
    public async Task A_sign_up_retried_with_its_key_replays_the_201_instead_of_username_taken()
    {
        using var anonymous = Server.CreateClient();
        var name = ApiClient.NewName("idem_s");

        using var first = await SignUpAsync(anonymous, name, "k-signup");
        using var retry = await SignUpAsync(anonymous, name, "k-signup");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await AssertReplayOfAsync(first, retry);

        // Without the key (or with another) the retry is what it always was: the name is taken, by the one account.
        await ApiClient.AssertProblemAsync(await SignUpAsync(anonymous, name, "k-signup-2"), HttpStatusCode.Conflict, "username-taken");
        await ApiClient.AssertProblemAsync(await SignUpAsync(anonymous, ApiClient.NewName("idem_s"), "k-signup"), HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");

        using var other = await SignUpAsync(anonymous, ApiClient.NewName("idem_s"), "k-signup-3");
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/users/{name}")).StatusCode);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_create_exactly_one_comment()
    {
        using var user = await ApiClient.NewUserAsync(Server, "idem_cc");
        var photo = await ApiClient.UploadOkAsync(user, TestImages.Jpeg(60, 60));

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => CommentAsync(user, photo, "only once", "k-race")));

        Assert.Equal(1, await CommentCountAsync(user, photo));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created && !r.Headers.Contains("Idempotent-Replayed"));
        var original = await responses.Single(r => r.StatusCode == HttpStatusCode.Created && !r.Headers.Contains("Idempotent-Replayed")).Content.ReadAsStringAsync();
        foreach (var response in responses)
        {
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                await ApiClient.AssertProblemAsync(response, HttpStatusCode.Conflict, "idempotency-key-in-progress");
                Assert.NotNull(response.Headers.RetryAfter);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                Assert.Equal(original, await response.Content.ReadAsStringAsync());
            }

            response.Dispose();
        }
    }

    [Fact]
    public async Task Another_user_with_the_same_key_is_independent()
    {
        using var alice = await ApiClient.NewUserAsync(Server, "idem_a");
        using var bob = await ApiClient.NewUserAsync(Server, "idem_b");
        var photo = await ApiClient.UploadOkAsync(alice, TestImages.Jpeg(60, 60));

        using var fromAlice = await CommentAsync(alice, photo, "same words", "k-shared");
        using var fromBob = await CommentAsync(bob, photo, "same words", "k-shared");

        Assert.Equal(HttpStatusCode.Created, fromAlice.StatusCode);
        Assert.Equal(HttpStatusCode.Created, fromBob.StatusCode);
        Assert.False(fromBob.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await CommentCountAsync(alice, photo));
    }

    [Theory]
    [InlineData("")]
    [InlineData("tab\there")]
    [InlineData("del\u007f")]
    [InlineData("too-long")]
    public async Task A_malformed_key_is_400_and_creates_nothing(string key)
    {
        using var user = await ApiClient.NewUserAsync(Server, "idem_bad");
        var photo = await ApiClient.UploadOkAsync(user, TestImages.Jpeg(60, 60));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/photos/{photo}/comments") { Content = JsonContent.Create(new { text = "hello" }) };
        switch (key)
        {
            case "too-long":
                request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 256));
                break;
            default:
                request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
                break;
        }

        await ApiClient.AssertProblemAsync(await user.SendAsync(request), HttpStatusCode.BadRequest, "invalid-idempotency-key");
        Assert.Equal(0, await CommentCountAsync(user, photo));
    }

    [Fact]
    public async Task A_keyed_comment_whose_answer_was_lost_is_not_made_twice_by_the_retry()
    {
        // A failover can cut the connection after the commit: the request answers 503 and frees its key,
        // and the client's retry runs afresh. Forgetting the key stands in for that lost answer.
        using var user = await ApiClient.NewUserAsync(Server, "idem_lost");
        var photo = await ApiClient.UploadOkAsync(user, TestImages.Jpeg(60, 60));
        using var first = await CommentAsync(user, photo, "said once", "k-lost");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var db = Server.Services.GetRequiredService<Database>();
        await ForgetKeysAsync(db);

        using var retry = await CommentAsync(user, photo, "said once", "k-lost");
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(
            (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString(),
            (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        Assert.Equal(1, await CommentCountAsync(user, photo));
    }

    [Fact]
    public async Task A_keyed_upload_whose_answer_was_lost_is_not_made_twice_by_the_retry()
    {
        using var owner = await ApiClient.NewUserAsync(Server, "idem_lostup");
        var name = await ApiClient.UsernameAsync(owner);
        var jpeg = TestImages.Jpeg(90, 70);
        using var first = await UploadAsync(owner, jpeg, "k-lost-upload");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await ForgetKeysAsync(Server.Services.GetRequiredService<Database>());

        using var retry = await UploadAsync(owner, jpeg, "k-lost-upload");
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(1, await PhotoCountAsync(owner, name));
    }

    [Fact]
    public async Task An_expired_key_is_free_again_and_the_sweep_deletes_it()
    {
        using var user = await ApiClient.NewUserAsync(Server, "idem_x");
        var photo = await ApiClient.UploadOkAsync(user, TestImages.Jpeg(60, 60));
        Assert.Equal(HttpStatusCode.Created, (await CommentAsync(user, photo, "first", "k-expiring")).StatusCode);
        var db = Server.Services.GetRequiredService<Database>();

        // A day on: the row as it stands 24 h after its claim, not yet swept.
        var time = Server.Services.GetRequiredService<TimeProvider>();
        await ExpireAllAsync(db, time.GetUtcNow().ToUnixTimeMilliseconds() - 1);
        using var later = await CommentAsync(user, photo, "first", "k-expiring");
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.False(later.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await CommentCountAsync(user, photo));

        await ExpireAllAsync(db, time.GetUtcNow().ToUnixTimeMilliseconds() - 1);
        var sweeper = Server.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<IdempotencyKeySweeper>().Single();
        Assert.True(await sweeper.SweepAsync(CancellationToken.None) >= 1);
        Assert.Equal(0, await RowCountAsync(db));
    }

    [Fact]
    public async Task OpenAPI_declares_the_header_on_the_three_creating_POSTs()
    {
        using var client = Server.CreateClient();
        var paths = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/photos", "/api/photos/{id}/comments", "/api/accounts" })
        {
            var parameters = paths.GetProperty(path).GetProperty("post").GetProperty("parameters").EnumerateArray();
            Assert.Contains(parameters, p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
        }
    }

    private static async Task AssertReplayOfAsync(HttpResponseMessage first, HttpResponseMessage retry)
    {
        Assert.Equal(first.StatusCode, retry.StatusCode);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Content.Headers.ContentType?.MediaType, retry.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] jpeg, string key)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(jpeg);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", "photo.jpg");
        form.Add(new StringContent("retried"), "caption");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/photos") { Content = form };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> CommentAsync(HttpClient client, string photo, string text, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/photos/{photo}/comments") { Content = JsonContent.Create(new { text }) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> SignUpAsync(HttpClient client, string username, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/accounts") { Content = JsonContent.Create(new { username, password = ApiClient.Password }) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task<int> PhotoCountAsync(HttpClient owner, string name) =>
        (await owner.GetFromJsonAsync<JsonElement>($"/api/users/{name}/photos")).GetProperty("items").GetArrayLength();

    private static async Task<int> CommentCountAsync(HttpClient client, string photo) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/photos/{photo}/comments")).GetProperty("items").GetArrayLength();

    private static async Task ExpireAllAsync(Database db, long at)
    {
        foreach (var store in db.Stores)
        {
            await using var connection = await store.Primary.OpenAsync();
            await connection.ExecuteAsync("UPDATE idempotency_keys SET expires_at = @at", new { at });
            await connection.ExecuteAsync("UPDATE write_keys SET created_at = @claimed", new { claimed = at - (long)IdempotencyMiddleware.KeyLifetime.TotalMilliseconds });
        }
    }

    /// <summary>Deletes the web tier's key records (not the write keys), as a request that lost its answer and freed its key leaves them.</summary>
    private static async Task ForgetKeysAsync(Database db)
    {
        foreach (var store in db.Stores)
        {
            await using var connection = await store.Primary.OpenAsync();
            await connection.ExecuteAsync("DELETE FROM idempotency_keys");
        }
    }

    private static async Task<long> RowCountAsync(Database db)
    {
        long rows = 0;
        foreach (var store in db.Stores)
        {
            await using var connection = await store.Primary.OpenAsync();
            rows += await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys");
            rows += await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM write_keys");
        }

        return rows;
    }
}

public sealed class IdempotencyKeyTestsOnPostgres : IdempotencyKeyTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
