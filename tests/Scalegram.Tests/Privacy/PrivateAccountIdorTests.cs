using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Feed;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Privacy;

/// <summary>
/// Every object of a private account, asked for by every kind of viewer: only its owner and approved
/// followers get its photos, grid, feed entries, likes, comments, pages and media URLs; the others get
/// 404 for a photo (as if it did not exist), 403 private-account for the grid, and never a media URL.
/// </summary>
public class PrivateAccountIdorTests : ApiTestBase
{
    public static TheoryData<Viewer> Viewers => [Viewer.Anonymous, Viewer.Stranger, Viewer.Pending, Viewer.Follower, Viewer.Owner];

    [Theory]
    [MemberData(nameof(Viewers))]
    public async Task Profile_photo_grid_comments_and_pages_answer_by_whether_the_viewer_may_see(Viewer viewer)
    {
        using var cast = await PrivateCast.CreateAsync(Server);
        var client = cast[viewer];
        var may = PrivateCast.MaySee(viewer);

        var profile = await client.GetFromJsonAsync<JsonElement>($"/api/users/{cast.OwnerName}");
        Assert.True(profile.GetProperty("private").GetBoolean());
        Assert.Equal(may, profile.GetProperty("canSeePhotos").GetBoolean());
        if (viewer == Viewer.Pending)
        {
            Assert.True(profile.GetProperty("requestedByMe").GetBoolean());
        }

        foreach (var id in (string[])[cast.OldPhotoId, cast.NewPhotoId])
        {
            using var photo = await client.GetAsync($"/api/photos/{id}");
            using var comments = await client.GetAsync($"/api/photos/{id}/comments");
            using var page = await client.GetAsync($"/p/{id}");
            if (may)
            {
                Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
                Assert.Equal(HttpStatusCode.OK, comments.StatusCode);
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            }
            else
            {
                await ApiClient.AssertProblemAsync(photo, HttpStatusCode.NotFound, "not-found");
                await ApiClient.AssertProblemAsync(comments, HttpStatusCode.NotFound, "not-found");
                Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            }
        }

        using var grid = await client.GetAsync($"/api/users/{cast.OwnerName}/photos");
        var profilePage = await client.GetStringAsync($"/u/{cast.OwnerName}");
        if (may)
        {
            Assert.Equal(HttpStatusCode.OK, grid.StatusCode);
            var ids = (await grid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
            Assert.Equal([cast.NewPhotoId, cast.OldPhotoId], ids);
            Assert.Contains($"/p/{cast.NewPhotoId}", profilePage, StringComparison.Ordinal);
            Assert.DoesNotContain("data-private-account", profilePage, StringComparison.Ordinal);
        }
        else
        {
            await ApiClient.AssertProblemAsync(grid, HttpStatusCode.Forbidden, "private-account");
            Assert.Contains("data-private-account", profilePage, StringComparison.Ordinal);
            Assert.DoesNotContain(cast.NewPhotoId, profilePage, StringComparison.Ordinal);
            Assert.DoesNotContain(cast.OldPhotoId, profilePage, StringComparison.Ordinal);
            Assert.DoesNotContain("/media/", profilePage, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Viewers))]
    public async Task Likes_and_comments_are_refused_as_not_found_to_those_who_may_not_see(Viewer viewer)
    {
        using var cast = await PrivateCast.CreateAsync(Server);
        var client = cast[viewer];
        var id = cast.NewPhotoId;
        using var like = await client.PutAsync($"/api/photos/{id}/like", null);
        using var unlike = await client.DeleteAsync($"/api/photos/{id}/like");
        using var comment = await client.PostAsJsonAsync($"/api/photos/{id}/comments", new { text = "hello" });
        if (viewer == Viewer.Anonymous)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, like.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, comment.StatusCode);
        }
        else if (PrivateCast.MaySee(viewer))
        {
            Assert.Equal(HttpStatusCode.NoContent, like.StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, unlike.StatusCode);
            Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        }
        else
        {
            await ApiClient.AssertProblemAsync(like, HttpStatusCode.NotFound, "not-found");
            await ApiClient.AssertProblemAsync(unlike, HttpStatusCode.NotFound, "not-found");
            await ApiClient.AssertProblemAsync(comment, HttpStatusCode.NotFound, "not-found");
        }

        // Nothing a refused viewer tried left a trace.
        var photo = await cast[Viewer.Owner].GetFromJsonAsync<JsonElement>($"/api/photos/{id}");
        Assert.Equal(0, photo.GetProperty("likes").GetInt64());
        Assert.Equal(PrivateCast.MaySee(viewer) ? 1 : 0, photo.GetProperty("comments").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Viewers))]
    public async Task The_feed_holds_a_private_accounts_photos_only_for_its_followers_even_if_a_timeline_entry_exists(Viewer viewer)
    {
        using var cast = await PrivateCast.CreateAsync(Server);
        var client = cast[viewer];
        if (viewer == Viewer.Anonymous)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/feed")).StatusCode);
            return;
        }

        var me = (await client.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString()!;
        var ownerId = (await client.GetFromJsonAsync<JsonElement>($"/api/users/{cast.OwnerName}")).GetProperty("id").GetString()!;
        if (!PrivateCast.MaySee(viewer))
        {
            // A stale entry (say, a fan-out that raced the account turning private) must still not show.
            await Server.Services.GetRequiredService<TimelineStore>().AddAsync([long.Parse(me)], long.Parse(cast.NewPhotoId), long.Parse(ownerId), CancellationToken.None);
        }

        var ids = await FeedIdsAsync(client, PrivateCast.MaySee(viewer) ? [cast.NewPhotoId, cast.OldPhotoId] : []);
        if (PrivateCast.MaySee(viewer))
        {
            Assert.Contains(cast.NewPhotoId, ids);
            Assert.Contains(cast.OldPhotoId, ids);
        }
        else
        {
            Assert.DoesNotContain(cast.NewPhotoId, ids);
            Assert.DoesNotContain(cast.OldPhotoId, ids);
        }
    }

    [Theory]
    [MemberData(nameof(Viewers))]
    public async Task Media_of_a_private_photo_leave_only_as_signed_urls_and_never_by_their_public_path(Viewer viewer)
    {
        using var cast = await PrivateCast.CreateAsync(Server);
        var client = cast[viewer];
        var signed = await cast.OwnerUrlsAsync(cast.NewPhotoId);
        Assert.NotEmpty(signed);
        Assert.All(signed, url => Assert.StartsWith("/media/s/", url, StringComparison.Ordinal));

        foreach (var url in signed)
        {
            var key = PrivateCast.KeyOf(url);
            // The public path answers exactly as a file that does not exist.
            using var unsigned = await client.GetAsync($"/media/{key}");
            await ApiClient.AssertProblemAsync(unsigned, HttpStatusCode.NotFound, "not-found");
        }

        if (PrivateCast.MaySee(viewer))
        {
            var photo = await client.GetFromJsonAsync<JsonElement>($"/api/photos/{cast.NewPhotoId}");
            foreach (var variant in photo.GetProperty("variants").EnumerateArray())
            {
                using var image = await client.GetAsync(variant.GetProperty("url").GetString());
                Assert.Equal(HttpStatusCode.OK, image.StatusCode);
                Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
                Assert.True(image.Headers.CacheControl?.Private);
                Assert.InRange(image.Headers.CacheControl!.MaxAge!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(6));
            }
        }
        else
        {
            // No answer this viewer can get names a media file of the photo.
            foreach (var path in (string[])[$"/api/photos/{cast.NewPhotoId}", $"/api/users/{cast.OwnerName}/photos", $"/u/{cast.OwnerName}", $"/p/{cast.NewPhotoId}"])
            {
                using var response = await client.GetAsync(path);
                Assert.DoesNotContain($"p/{cast.NewPhotoId}/", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
    }

    private static async Task<List<string>> FeedIdsAsync(HttpClient client, string[] waitFor)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>("/api/feed");
            var ids = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
            if (waitFor.All(ids.Contains) || DateTime.UtcNow > deadline)
            {
                return ids;
            }

            await Task.Delay(100);
        }
    }
}

/// <summary>The same matrix on PostgreSQL.</summary>
public sealed class PrivateAccountIdorTestsOnPostgres : PrivateAccountIdorTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
