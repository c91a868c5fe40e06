using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Api;

public class SessionApiTests : ApiTestBase
{
    private async Task<string> NewAccountAsync(string prefix)
    {
        var name = ApiClient.NewName(prefix);
        using var client = Server.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/accounts", new { username = name, password = ApiClient.Password })).StatusCode);
        return name;
    }

    [Fact]
    public async Task Sign_in_gives_a_token_an_expiry_and_an_httponly_samesite_cookie()
    {
        var name = await NewAccountAsync("si");
        using var client = Server.CreateClient();
        var response = await client.PostAsJsonAsync("/api/sessions", new { username = name, password = ApiClient.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var token = body.GetProperty("token").GetString()!;
        Assert.True(token.Length >= 32);
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(1));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sg_session=", StringComparison.Ordinal));
        Assert.Contains($"sg_session={token}", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        using var bearer = Server.CreateClient(token);
        var me = await bearer.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(name, me.GetProperty("username").GetString());
    }

    [Fact]
    public async Task Wrong_username_and_wrong_password_get_the_same_401()
    {
        var name = await NewAccountAsync("wrong");
        using var client = Server.CreateClient();

        var badPassword = await ApiClient.AssertProblemAsync(
            await client.PostAsJsonAsync("/api/sessions", new { username = name, password = "not-the-password" }), HttpStatusCode.Unauthorized, "invalid-credentials");
        var badUser = await ApiClient.AssertProblemAsync(
            await client.PostAsJsonAsync("/api/sessions", new { username = "no_such_user_zz", password = ApiClient.Password }), HttpStatusCode.Unauthorized, "invalid-credentials");
        var invalidUser = await ApiClient.AssertProblemAsync(
            await client.PostAsJsonAsync("/api/sessions", new { username = "x", password = "" }), HttpStatusCode.Unauthorized, "invalid-credentials");

        foreach (var field in new[] { "type", "title", "detail", "status", "code" })
        {
            Assert.Equal(badPassword.GetProperty(field).ToString(), badUser.GetProperty(field).ToString());
            Assert.Equal(badPassword.GetProperty(field).ToString(), invalidUser.GetProperty(field).ToString());
        }
    }

    [Fact]
    public async Task Me_without_a_session_is_401()
    {
        using var anonymous = Server.CreateClient();
        await ApiClient.AssertProblemAsync(await anonymous.GetAsync("/api/me"), HttpStatusCode.Unauthorized, "not-signed-in");
        using var forged = Server.CreateClient("this-token-was-never-issued-by-the-server");
        await ApiClient.AssertProblemAsync(await forged.GetAsync("/api/me"), HttpStatusCode.Unauthorized, "not-signed-in");
    }

    [Fact]
    public async Task Signing_out_revokes_the_token_and_the_cookie_at_once()
    {
        var name = await NewAccountAsync("out");
        using var client = Server.CreateClient();
        var token = await ApiClient.TokenAsync(client, name);
        using var bearer = Server.CreateClient(token);
        using var cookieOnly = Server.CreateClient();
        cookieOnly.DefaultRequestHeaders.Add("Cookie", $"sg_session={token}");
        Assert.Equal(HttpStatusCode.OK, (await cookieOnly.GetAsync("/api/me")).StatusCode);

        var signOut = await bearer.DeleteAsync("/api/sessions/current");
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Contains(signOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sg_session=;", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cookieOnly.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Cookie_state_changes_need_the_csrf_token_and_bearer_ones_do_not()
    {
        var name = await NewAccountAsync("csrf");
        var target = await NewAccountAsync("csrf_t");
        using var browser = Server.CreateCookieClient();
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync("/api/sessions", new { username = name, password = ApiClient.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/me")).StatusCode);

        // Without the header: refused, whatever the verb.
        await ApiClient.AssertProblemAsync(await browser.PutAsync($"/api/me/following/{target}", null), HttpStatusCode.BadRequest, "csrf");
        await ApiClient.AssertProblemAsync(await browser.DeleteAsync($"/api/me/following/{target}"), HttpStatusCode.BadRequest, "csrf");
        await ApiClient.AssertProblemAsync(await browser.PostAsync("/api/photos", new MultipartFormDataContent()), HttpStatusCode.BadRequest, "csrf");
        await ApiClient.AssertProblemAsync(await browser.DeleteAsync("/api/sessions/current"), HttpStatusCode.BadRequest, "csrf");
        using (var wrong = new HttpRequestMessage(HttpMethod.Put, $"/api/me/following/{target}"))
        {
            wrong.Headers.Add("X-CSRF-TOKEN", "forged");
            await ApiClient.AssertProblemAsync(await browser.SendAsync(wrong), HttpStatusCode.BadRequest, "csrf");
        }

        var csrf = await browser.GetFromJsonAsync<JsonElement>("/api/csrf");
        Assert.Equal("X-CSRF-TOKEN", csrf.GetProperty("header").GetString());
        browser.DefaultRequestHeaders.Add("X-CSRF-TOKEN", csrf.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await browser.PutAsync($"/api/me/following/{target}", null)).StatusCode);
        var upload = await ApiClient.UploadAsync(browser, TestImages.Jpeg(200, 200));
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);

        // A bearer client needs no CSRF token.
        using var api = Server.CreateClient(await ApiClient.TokenAsync(Server.CreateClient(), name));
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/me/following/{target}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync("/api/sessions/current")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Display_name_can_be_changed_and_is_validated()
    {
        using var me = await ApiClient.NewUserAsync(Server, "dn");
        var ok = await me.PatchAsJsonAsync("/api/me", new { displayName = "  Someone  " });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("Someone", (await me.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("displayName").GetString());
        await ApiClient.AssertProblemAsync(await me.PatchAsJsonAsync("/api/me", new { displayName = new string('x', 61) }), HttpStatusCode.BadRequest, "invalid-display-name");
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class SessionApiTestsOnPostgres : SessionApiTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
