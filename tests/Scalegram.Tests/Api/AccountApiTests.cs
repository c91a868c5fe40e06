using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Api;

public class AccountApiTests : ApiTestBase
{
    [Fact]
    public async Task Sign_up_answers_201_with_the_user()
    {
        using var client = Server.CreateClient();
        var name = ApiClient.NewName("new");
        var response = await client.PostAsJsonAsync("/api/accounts", new { username = name, password = ApiClient.Password, displayName = "New Person" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/users/{name}", response.Headers.Location?.OriginalString);
        var me = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(name, me.GetProperty("username").GetString());
        Assert.Equal("New Person", me.GetProperty("displayName").GetString());
        Assert.False(me.TryGetProperty("passwordHash", out _));
    }

    [Fact]
    public async Task A_taken_username_is_409_whatever_its_case()
    {
        using var client = Server.CreateClient();
        var name = ApiClient.NewName("taken");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/accounts", new { username = name, password = ApiClient.Password })).StatusCode);

        var again = await client.PostAsJsonAsync("/api/accounts", new { username = name.ToUpperInvariant(), password = ApiClient.Password });
        await ApiClient.AssertProblemAsync(again, HttpStatusCode.Conflict, "username-taken");
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("has space")]
    [InlineData("dash-not-allowed")]
    [InlineData("this_name_is_far_too_long_for_us")]
    [InlineData("")]
    public async Task A_bad_username_is_400(string username)
    {
        using var client = Server.CreateClient();
        var response = await client.PostAsJsonAsync("/api/accounts", new { username, password = ApiClient.Password });
        var problem = await ApiClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-username");
        Assert.Contains("3 to 30", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("short", "at least 8")]
    [InlineData("password123", "common")]
    [InlineData("iloveyou", "common")]
    public async Task A_weak_password_is_400(string password, string reason)
    {
        using var client = Server.CreateClient();
        var response = await client.PostAsJsonAsync("/api/accounts", new { username = ApiClient.NewName("weak"), password });
        var problem = await ApiClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "weak-password");
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_missing_or_malformed_body_is_400_problem_not_500()
    {
        using var client = Server.CreateClient();
        var empty = await client.PostAsync("/api/accounts", new StringContent("", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);

        var broken = await client.PostAsync("/api/accounts", new StringContent("{\"username\": \"x\",", System.Text.Encoding.UTF8, "application/json"));
        await ApiClient.AssertProblemAsync(broken, HttpStatusCode.BadRequest, "bad-request");

        var wrongType = await client.PostAsync("/api/sessions", new StringContent("{\"username\": 12}", System.Text.Encoding.UTF8, "application/json"));
        await ApiClient.AssertProblemAsync(wrongType, HttpStatusCode.BadRequest, "bad-request");
    }

    [Fact]
    public async Task Profile_counts_photos_followers_and_following()
    {
        using var alice = await ApiClient.NewUserAsync(Server, "cnt_a");
        using var bob = await ApiClient.NewUserAsync(Server, "cnt_b");
        using var carol = await ApiClient.NewUserAsync(Server, "cnt_c");
        var a = await ApiClient.UsernameAsync(alice);
        var b = await ApiClient.UsernameAsync(bob);
        var c = await ApiClient.UsernameAsync(carol);

        await ApiClient.UploadReadyAsync(alice, TestImages.Jpeg(400, 300));
        await ApiClient.UploadReadyAsync(alice, TestImages.Png(300, 300));
        Assert.Equal(HttpStatusCode.NoContent, (await bob.PutAsync($"/api/me/following/{a}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await carol.PutAsync($"/api/me/following/{a}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.PutAsync($"/api/me/following/{c}", null)).StatusCode);

        using var anonymous = Server.CreateClient();
        var profile = await anonymous.GetFromJsonAsync<JsonElement>($"/api/users/{a}");
        Assert.Equal(a, profile.GetProperty("username").GetString());
        Assert.Equal(2, profile.GetProperty("photos").GetInt64());
        Assert.Equal(2, profile.GetProperty("followers").GetInt64());
        Assert.Equal(1, profile.GetProperty("following").GetInt64());

        var bobsView = await bob.GetFromJsonAsync<JsonElement>($"/api/users/{a.ToUpperInvariant()}");
        Assert.True(bobsView.GetProperty("followedByMe").GetBoolean());
        var bobProfile = await anonymous.GetFromJsonAsync<JsonElement>($"/api/users/{b}");
        Assert.Equal(1, bobProfile.GetProperty("following").GetInt64());
        Assert.Equal(0, bobProfile.GetProperty("photos").GetInt64());
    }

    [Fact]
    public async Task Unknown_user_is_404()
    {
        using var anonymous = Server.CreateClient();
        await ApiClient.AssertProblemAsync(await anonymous.GetAsync("/api/users/nobody_here_at_all"), HttpStatusCode.NotFound, "not-found");
        await ApiClient.AssertProblemAsync(await anonymous.GetAsync("/api/users/no!valid"), HttpStatusCode.NotFound, "not-found");
        await ApiClient.AssertProblemAsync(await anonymous.GetAsync("/api/users/nobody_here_at_all/photos"), HttpStatusCode.NotFound, "not-found");
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class AccountApiTestsOnPostgres : AccountApiTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
