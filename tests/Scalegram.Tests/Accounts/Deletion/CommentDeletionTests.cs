using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Privacy;

namespace Scalegram.Tests.Accounts.Deletion;

/// <summary>DELETE /api/photos/{id}/comments/{commentId}: the author or the photo's owner; nobody else; counts stay right.</summary>
public class CommentDeletionTests : ApiTestBase
{
    [Fact]
    public async Task The_author_and_the_photos_owner_may_delete_a_comment_a_stranger_gets_403_and_counts_follow()
    {
        using var owner = await ApiClient.NewUserAsync(Server, "co");
        using var author = await ApiClient.NewUserAsync(Server, "ca");
        using var stranger = await ApiClient.NewUserAsync(Server, "cs");
        var photo = (await ApiClient.UploadReadyAsync(owner, TestImages.Jpeg(100, 100))).GetProperty("id").GetString();
        var first = await CommentAsync(author, photo!, "first");
        var second = await CommentAsync(author, photo!, "second");
        var own = await CommentAsync(owner, photo!, "thanks");
        Assert.Equal(3, await CountAsync(stranger, photo!)); // read once, so the photo is cached with 3

        await ApiClient.AssertProblemAsync(await stranger.DeleteAsync($"/api/photos/{photo}/comments/{first}"), HttpStatusCode.Forbidden, "forbidden");
        await ApiClient.AssertProblemAsync(await author.DeleteAsync($"/api/photos/{photo}/comments/{own}"), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(3, await CountAsync(stranger, photo!));

        Assert.Equal(HttpStatusCode.NoContent, (await author.DeleteAsync($"/api/photos/{photo}/comments/{first}")).StatusCode);
        Assert.Equal(2, await CountAsync(stranger, photo!));
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/photos/{photo}/comments/{second}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/photos/{photo}/comments/{own}")).StatusCode);
        Assert.Equal(0, await CountAsync(stranger, photo!));
        Assert.Empty((await stranger.GetFromJsonAsync<JsonElement>($"/api/photos/{photo}/comments")).GetProperty("items").EnumerateArray());

        // Gone is gone: a second delete, a comment of another photo, a photo that does not exist: 404.
        await ApiClient.AssertProblemAsync(await author.DeleteAsync($"/api/photos/{photo}/comments/{first}"), HttpStatusCode.NotFound, "not-found");
        var other = (await ApiClient.UploadReadyAsync(stranger, TestImages.Jpeg(90, 90))).GetProperty("id").GetString();
        var elsewhere = await CommentAsync(stranger, other!, "mine");
        await ApiClient.AssertProblemAsync(await owner.DeleteAsync($"/api/photos/{photo}/comments/{elsewhere}"), HttpStatusCode.NotFound, "not-found");
        await ApiClient.AssertProblemAsync(await owner.DeleteAsync($"/api/photos/123456789/comments/{elsewhere}"), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.NotFound, (await owner.DeleteAsync($"/api/photos/{photo}/comments/not-a-number")).StatusCode);
        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/api/photos/{other}/comments/{elsewhere}")).StatusCode);
        Assert.Equal(1, await CountAsync(stranger, other!));
    }

    [Fact]
    public async Task On_a_private_account_a_non_follower_gets_404_not_403_so_nothing_about_it_leaks()
    {
        using var owner = await ApiClient.NewUserAsync(Server, "po");
        using var outsider = await ApiClient.NewUserAsync(Server, "px");
        var photo = (await ApiClient.UploadReadyAsync(owner, TestImages.Jpeg(100, 100))).GetProperty("id").GetString();
        var comment = await CommentAsync(owner, photo!, "private words");
        await PrivateCast.SetPrivateAsync(owner, true);

        await ApiClient.AssertProblemAsync(await outsider.DeleteAsync($"/api/photos/{photo}/comments/{comment}"), HttpStatusCode.NotFound, "not-found");
        await ApiClient.AssertProblemAsync(await outsider.DeleteAsync($"/api/photos/{photo}/comments/123"), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(1, await CountAsync(owner, photo!));
    }

    private static async Task<string> CommentAsync(HttpClient client, string photoId, string text)
    {
        var response = await client.PostAsJsonAsync($"/api/photos/{photoId}/comments", new { text });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<long> CountAsync(HttpClient client, string photoId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/photos/{photoId}")).GetProperty("comments").GetInt64();
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class CommentDeletionTestsOnPostgres : CommentDeletionTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
