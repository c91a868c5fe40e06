using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Storage;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Api;

public class PhotoInteractionTests : ApiTestBase
{
    [Fact]
    public async Task A_photo_has_every_documented_field()
    {
        using var owner = await ApiClient.NewUserAsync(Server, "fields");
        var name = await ApiClient.UsernameAsync(owner);
        var photo = await ApiClient.UploadReadyAsync(owner, TestImages.Jpeg(300, 200), caption: "  sunset  ");

        Assert.Matches("^[0-9]+$", photo.GetProperty("id").GetString());
        Assert.Equal(name, photo.GetProperty("owner").GetProperty("username").GetString());
        Assert.Equal("sunset", photo.GetProperty("caption").GetString());
        Assert.Equal("ready", photo.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, photo.GetProperty("failureReason").ValueKind);
        Assert.Equal(3, photo.GetProperty("variants").GetArrayLength());
        Assert.All(photo.GetProperty("variants").EnumerateArray(), v => Assert.StartsWith("/media/p/", v.GetProperty("url").GetString()));
        Assert.Equal(0, photo.GetProperty("likes").GetInt64());
        Assert.Equal(0, photo.GetProperty("comments").GetInt64());
        Assert.InRange(photo.GetProperty("createdAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));

        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/photos/{photo.GetProperty("id").GetString()}")).StatusCode);
        await ApiClient.AssertProblemAsync(await anonymous.GetAsync("/api/photos/123456789"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Owner_deletes_a_photo_and_its_media_and_blobs_are_gone_others_get_403()
    {
        using var owner = await ApiClient.NewUserAsync(Server, "del_o");
        using var other = await ApiClient.NewUserAsync(Server, "del_x");
        var photo = await ApiClient.UploadReadyAsync(owner, TestImages.Jpeg(300, 200));
        var id = photo.GetProperty("id").GetString();
        var urls = photo.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("url").GetString()!).ToList();
        var blobs = (LocalBlobStore)Server.Services.GetService(typeof(IBlobStore))!;
        var files = Directory.EnumerateFiles(Path.Combine(blobs.Root, "originals"), $"{id}-*")
            .Concat(Directory.EnumerateFiles(Path.Combine(blobs.Root, "p", id!))).ToList();
        Assert.Equal(1 + (3 * 3), files.Count); // the original, and three variants in JPEG, WebP and AVIF

        await ApiClient.AssertProblemAsync(await other.DeleteAsync($"/api/photos/{id}"), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/photos/{id}")).StatusCode);

        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/photos/{id}")).StatusCode);
        foreach (var url in urls)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(url)).StatusCode);
        }

        Assert.All(files, f => Assert.False(File.Exists(f), $"{f} is still on disk"));
        Assert.Equal(HttpStatusCode.NotFound, (await owner.DeleteAsync($"/api/photos/{id}")).StatusCode);
        Assert.Equal(0, (await anonymous.GetFromJsonAsync<JsonElement>($"/api/users/{await ApiClient.UsernameAsync(owner)}")).GetProperty("photos").GetInt64());
    }

    [Fact]
    public async Task Likes_are_idempotent()
    {
        using var owner = await ApiClient.NewUserAsync(Server, "like_o");
        using var fan = await ApiClient.NewUserAsync(Server, "like_f");
        var id = (await ApiClient.UploadReadyAsync(owner, TestImages.Jpeg(100, 100))).GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.NoContent, (await fan.PutAsync($"/api/photos/{id}/like", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fan.PutAsync($"/api/photos/{id}/like", null)).StatusCode);
        var liked = await fan.GetFromJsonAsync<JsonElement>($"/api/photos/{id}");
        Assert.Equal(1, liked.GetProperty("likes").GetInt64());
        Assert.True(liked.GetProperty("likedByMe").GetBoolean());
        Assert.False((await owner.GetFromJsonAsync<JsonElement>($"/api/photos/{id}")).GetProperty("likedByMe").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await owner.PutAsync($"/api/photos/{id}/like", null)).StatusCode);
        Assert.Equal(2, (await fan.GetFromJsonAsync<JsonElement>($"/api/photos/{id}")).GetProperty("likes").GetInt64());

        Assert.Equal(HttpStatusCode.NoContent, (await fan.DeleteAsync($"/api/photos/{id}/like")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fan.DeleteAsync($"/api/photos/{id}/like")).StatusCode);
        var unliked = await fan.GetFromJsonAsync<JsonElement>($"/api/photos/{id}");
        Assert.Equal(1, unliked.GetProperty("likes").GetInt64());
        Assert.False(unliked.GetProperty("likedByMe").GetBoolean());

        await ApiClient.AssertProblemAsync(await fan.PutAsync("/api/photos/42/like", null), HttpStatusCode.NotFound, "not-found");
        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsync($"/api/photos/{id}/like", null)).StatusCode);
    }

    [Fact]
    public async Task Comments_are_created_and_paged_by_cursor_without_gaps_or_repeats()
    {
        using var owner = await ApiClient.NewUserAsync(Server, "com_o");
        using var talker = await ApiClient.NewUserAsync(Server, "com_t");
        var id = (await ApiClient.UploadReadyAsync(owner, TestImages.Jpeg(100, 100))).GetProperty("id").GetString();

        var created = new List<string>();
        for (var i = 0; i < 45; i++)
        {
            var response = await talker.PostAsJsonAsync($"/api/photos/{id}/comments", new { text = $"comment {i}" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var comment = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal($"comment {i}", comment.GetProperty("text").GetString());
            Assert.Equal(await ApiClient.UsernameAsync(talker), comment.GetProperty("author").GetProperty("username").GetString());
            created.Add(comment.GetProperty("id").GetString()!);
        }

        using var anonymous = Server.CreateClient();
        var pages = new List<int>();
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await anonymous.GetFromJsonAsync<JsonElement>($"/api/photos/{id}/comments" + (cursor is null ? "" : $"?cursor={cursor}"));
            var items = page.GetProperty("items").EnumerateArray().ToList();
            pages.Add(items.Count);
            seen.AddRange(items.Select(c => c.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && pages.Count < 10);

        Assert.Equal([20, 20, 5], pages);
        Assert.Equal(created, seen);
        Assert.Equal(45, (await anonymous.GetFromJsonAsync<JsonElement>($"/api/photos/{id}")).GetProperty("comments").GetInt64());
    }

    [Fact]
    public async Task Bad_comments_and_cursors_are_400_and_unknown_photos_404()
    {
        using var user = await ApiClient.NewUserAsync(Server, "com_bad");
        var id = (await ApiClient.UploadReadyAsync(user, TestImages.Jpeg(100, 100))).GetProperty("id").GetString();

        await ApiClient.AssertProblemAsync(await user.PostAsJsonAsync($"/api/photos/{id}/comments", new { text = "   " }), HttpStatusCode.BadRequest, "invalid-comment");
        await ApiClient.AssertProblemAsync(await user.PostAsJsonAsync($"/api/photos/{id}/comments", new { text = new string('x', 2201) }), HttpStatusCode.BadRequest, "invalid-comment");
        await ApiClient.AssertProblemAsync(await user.PostAsJsonAsync("/api/photos/42/comments", new { text = "hi" }), HttpStatusCode.NotFound, "not-found");
        await ApiClient.AssertProblemAsync(await user.GetAsync($"/api/photos/{id}/comments?cursor=not-a-cursor"), HttpStatusCode.BadRequest, "invalid-cursor");
        await ApiClient.AssertProblemAsync(await user.GetAsync($"/api/photos/{id}/comments?cursor=0"), HttpStatusCode.BadRequest, "invalid-cursor");
        await ApiClient.AssertProblemAsync(await user.GetAsync("/api/photos/42/comments"), HttpStatusCode.NotFound, "not-found");
        var malformed = await user.PostAsync($"/api/photos/{id}/comments", new StringContent("{text:", System.Text.Encoding.UTF8, "application/json"));
        await ApiClient.AssertProblemAsync(malformed, HttpStatusCode.BadRequest, "bad-request");
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class PhotoInteractionTestsOnPostgres : PhotoInteractionTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
