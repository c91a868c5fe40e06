using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Privacy;

/// <summary>Following a private account: the request, the owner's list, approve, deny, withdraw; and turning public again.</summary>
public class FollowRequestTests : ApiTestBase
{
    [Fact]
    public async Task A_request_is_listed_for_the_owner_and_approving_it_makes_a_follower_who_then_sees_the_photos()
    {
        using var owner = await ApiClient.NewUserAsync(Server, "own");
        using var fan = await ApiClient.NewUserAsync(Server, "fan");
        var ownerName = await ApiClient.UsernameAsync(owner);
        var fanName = await ApiClient.UsernameAsync(fan);
        var fanId = (await fan.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString();
        await PrivateCast.SetPrivateAsync(owner, true);
        Assert.True((await owner.GetFromJsonAsync<JsonElement>("/api/me/privacy")).GetProperty("private").GetBoolean());

        Assert.Equal(HttpStatusCode.Accepted, (await fan.PutAsync($"/api/me/following/{ownerName}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await fan.PutAsync($"/api/me/following/{ownerName}", null)).StatusCode);
        var profile = await fan.GetFromJsonAsync<JsonElement>($"/api/users/{ownerName}");
        Assert.False(profile.GetProperty("followedByMe").GetBoolean());
        Assert.True(profile.GetProperty("requestedByMe").GetBoolean());
        Assert.Equal(0, profile.GetProperty("followers").GetInt64());

        var requests = await owner.GetFromJsonAsync<JsonElement>("/api/me/follow-requests");
        var only = Assert.Single(requests.GetProperty("items").EnumerateArray());
        Assert.Equal(fanId, only.GetProperty("id").GetString());
        Assert.Equal(fanName, only.GetProperty("username").GetString());

        // The requester cannot approve itself, nor anyone approve a request that is not theirs.
        await ApiClient.AssertProblemAsync(await fan.PostAsync($"/api/me/follow-requests/{fanId}/approve", null), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.NoContent, (await owner.PostAsync($"/api/me/follow-requests/{fanId}/approve", null)).StatusCode);
        await ApiClient.AssertProblemAsync(await owner.PostAsync($"/api/me/follow-requests/{fanId}/approve", null), HttpStatusCode.NotFound, "not-found");

        Assert.Empty((await owner.GetFromJsonAsync<JsonElement>("/api/me/follow-requests")).GetProperty("items").EnumerateArray());
        profile = await fan.GetFromJsonAsync<JsonElement>($"/api/users/{ownerName}");
        Assert.True(profile.GetProperty("followedByMe").GetBoolean());
        Assert.True(profile.GetProperty("canSeePhotos").GetBoolean());
        Assert.Equal(1, profile.GetProperty("followers").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await fan.GetAsync($"/api/users/{ownerName}/photos")).StatusCode);

        // Following again is a no-op 204 (already a follower), and unfollowing loses access.
        Assert.Equal(HttpStatusCode.NoContent, (await fan.PutAsync($"/api/me/following/{ownerName}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fan.DeleteAsync($"/api/me/following/{ownerName}")).StatusCode);
        await ApiClient.AssertProblemAsync(await fan.GetAsync($"/api/users/{ownerName}/photos"), HttpStatusCode.Forbidden, "private-account");
    }

    [Fact]
    public async Task Denied_and_withdrawn_requests_leave_no_follower_and_no_request()
    {
        using var owner = await ApiClient.NewUserAsync(Server, "own");
        using var denied = await ApiClient.NewUserAsync(Server, "den");
        using var withdrawn = await ApiClient.NewUserAsync(Server, "wd");
        var ownerName = await ApiClient.UsernameAsync(owner);
        var deniedId = (await denied.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString();
        await PrivateCast.SetPrivateAsync(owner, true);
        Assert.Equal(HttpStatusCode.Accepted, (await denied.PutAsync($"/api/me/following/{ownerName}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await withdrawn.PutAsync($"/api/me/following/{ownerName}", null)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.PostAsync($"/api/me/follow-requests/{deniedId}/deny", null)).StatusCode);
        await ApiClient.AssertProblemAsync(await owner.PostAsync($"/api/me/follow-requests/{deniedId}/deny", null), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.NoContent, (await withdrawn.DeleteAsync($"/api/me/following/{ownerName}")).StatusCode);

        Assert.Empty((await owner.GetFromJsonAsync<JsonElement>("/api/me/follow-requests")).GetProperty("items").EnumerateArray());
        var profile = await denied.GetFromJsonAsync<JsonElement>($"/api/users/{ownerName}");
        Assert.False(profile.GetProperty("requestedByMe").GetBoolean());
        Assert.False(profile.GetProperty("canSeePhotos").GetBoolean());
        Assert.Equal(0, profile.GetProperty("followers").GetInt64());
    }

    [Fact]
    public async Task Turning_public_again_approves_pending_requests_and_shows_the_photos_to_everyone()
    {
        using var owner = await ApiClient.NewUserAsync(Server, "own");
        using var fan = await ApiClient.NewUserAsync(Server, "fan");
        var ownerName = await ApiClient.UsernameAsync(owner);
        await PrivateCast.SetPrivateAsync(owner, true);
        Assert.Equal(HttpStatusCode.Accepted, (await fan.PutAsync($"/api/me/following/{ownerName}", null)).StatusCode);

        await PrivateCast.SetPrivateAsync(owner, false);

        Assert.True((await fan.GetFromJsonAsync<JsonElement>($"/api/users/{ownerName}")).GetProperty("followedByMe").GetBoolean());
        Assert.Empty((await owner.GetFromJsonAsync<JsonElement>("/api/me/follow-requests")).GetProperty("items").EnumerateArray());
        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/users/{ownerName}/photos")).StatusCode);
    }

    [Fact]
    public async Task Bad_privacy_bodies_are_400_and_the_endpoints_need_a_session()
    {
        using var owner = await ApiClient.NewUserAsync(Server, "own");
        await ApiClient.AssertProblemAsync(await owner.PutAsJsonAsync("/api/me/privacy", new { }), HttpStatusCode.BadRequest, "invalid-privacy");
        await ApiClient.AssertProblemAsync(await owner.GetAsync("/api/me/follow-requests?cursor=zz"), HttpStatusCode.BadRequest, "invalid-cursor");
        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/me/privacy")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync("/api/me/privacy", new { @private = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/me/follow-requests")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/me/follow-requests/1/approve", null)).StatusCode);
    }
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class FollowRequestTestsOnPostgres : FollowRequestTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
