using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Api;

public class SocialAndFeedApiTests : ApiTestBase
{
    private async Task<long> FollowersOfAsync(string username) =>
        (await Server.CreateClient().GetFromJsonAsync<JsonElement>($"/api/users/{username}")).GetProperty("followers").GetInt64();

    [Fact]
    public async Task Follow_and_unfollow_are_idempotent_204s()
    {
        using var fan = await ApiClient.NewUserAsync(Server, "fan");
        using var star = await ApiClient.NewUserAsync(Server, "star");
        var s = await ApiClient.UsernameAsync(star);

        Assert.Equal(HttpStatusCode.NoContent, (await fan.PutAsync($"/api/me/following/{s}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fan.PutAsync($"/api/me/following/{s}", null)).StatusCode);
        Assert.Equal(1, await FollowersOfAsync(s));

        Assert.Equal(HttpStatusCode.NoContent, (await fan.DeleteAsync($"/api/me/following/{s}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fan.DeleteAsync($"/api/me/following/{s}")).StatusCode);
        Assert.Equal(0, await FollowersOfAsync(s));
    }

    [Fact]
    public async Task Following_yourself_is_400_and_an_unknown_user_404()
    {
        using var me = await ApiClient.NewUserAsync(Server, "self");
        var name = await ApiClient.UsernameAsync(me);
        await ApiClient.AssertProblemAsync(await me.PutAsync($"/api/me/following/{name}", null), HttpStatusCode.BadRequest, "follow-self");
        await ApiClient.AssertProblemAsync(await me.PutAsync("/api/me/following/nobody_such_zz", null), HttpStatusCode.NotFound, "not-found");
        await ApiClient.AssertProblemAsync(await me.DeleteAsync("/api/me/following/nobody_such_zz"), HttpStatusCode.NotFound, "not-found");
        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsync($"/api/me/following/{name}", null)).StatusCode);
    }

    [Fact]
    public async Task Feed_shows_followed_users_and_own_ready_photos_newest_first_but_not_unfollowed_ones()
    {
        using var reader = await ApiClient.NewUserAsync(Server, "reader");
        using var friend = await ApiClient.NewUserAsync(Server, "friend");
        using var stranger = await ApiClient.NewUserAsync(Server, "stranger");
        using var former = await ApiClient.NewUserAsync(Server, "former");
        var f = await ApiClient.UsernameAsync(friend);
        var x = await ApiClient.UsernameAsync(former);

        var before = (await ApiClient.UploadReadyAsync(friend, TestImages.Jpeg(300, 200))).GetProperty("id").GetString()!;
        var formerPhoto = (await ApiClient.UploadReadyAsync(former, TestImages.Jpeg(300, 200))).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await reader.PutAsync($"/api/me/following/{f}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await reader.PutAsync($"/api/me/following/{x}", null)).StatusCode);
        var after = (await ApiClient.UploadReadyAsync(friend, TestImages.Jpeg(300, 200))).GetProperty("id").GetString()!;
        var mine = (await ApiClient.UploadReadyAsync(reader, TestImages.Jpeg(300, 200))).GetProperty("id").GetString()!;
        var theirs = (await ApiClient.UploadReadyAsync(stranger, TestImages.Jpeg(300, 200))).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await reader.DeleteAsync($"/api/me/following/{x}")).StatusCode);

        // Fan-out and backfill are jobs: wait until they have run (bounded).
        var ids = await WaitForFeedAsync(reader, 3);

        Assert.Equal([mine, after, before], ids);
        Assert.DoesNotContain(theirs, ids);
        Assert.DoesNotContain(formerPhoto, ids);
    }

    [Fact]
    public async Task Feed_and_user_photos_paginate_with_cursors_without_gaps_or_repeats()
    {
        using var author = await ApiClient.NewUserAsync(Server, "pager");
        using var follower = await ApiClient.NewUserAsync(Server, "pfollow");
        var a = await ApiClient.UsernameAsync(author);
        Assert.Equal(HttpStatusCode.NoContent, (await follower.PutAsync($"/api/me/following/{a}", null)).StatusCode);
        var small = TestImages.Jpeg(64, 48);
        var uploaded = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            uploaded.Add(await ApiClient.UploadOkAsync(author, small, caption: $"#{i}"));
        }

        foreach (var id in uploaded)
        {
            Assert.Equal("ready", (await ApiClient.WaitForPhotoAsync(author, id)).GetProperty("status").GetString());
        }

        uploaded.Reverse();
        using var anonymous = Server.CreateClient();
        Assert.Equal(uploaded, await WalkAsync(anonymous, $"/api/users/{a}/photos"));
        await WaitForFeedAsync(follower, 23);
        Assert.Equal(uploaded, await WalkAsync(follower, "/api/feed"));

        await ApiClient.AssertProblemAsync(await anonymous.GetAsync($"/api/users/{a}/photos?cursor=abc"), HttpStatusCode.BadRequest, "invalid-cursor");
        await ApiClient.AssertProblemAsync(await follower.GetAsync("/api/feed?cursor=-5"), HttpStatusCode.BadRequest, "invalid-cursor");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/feed")).StatusCode);
    }

    /// <summary>Follows nextCursor to the end and returns every item's ID in order; asserts pages of at most 20.</summary>
    internal static async Task<List<string>> WalkAsync(HttpClient client, string path)
    {
        var ids = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>(cursor is null ? path : $"{path}?cursor={cursor}");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 0, 20);
            ids.AddRange(items.Select(i => i.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
            Assert.True(++pages < 50, "pagination does not end");
        }
        while (cursor is not null);
        return ids;
    }

    private static async Task<List<string>> WaitForFeedAsync(HttpClient client, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var ids = await WalkAsync(client, "/api/feed");
            if (ids.Count >= count || DateTime.UtcNow > deadline)
            {
                return ids;
            }

            await Task.Delay(50);
        }
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class SocialAndFeedApiTestsOnPostgres : SocialAndFeedApiTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
