using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Data;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Accounts;

/// <summary>Issue 14: change your password, list your sessions, sign one out by ID or all the others, and the idle timeout; over the API.</summary>
public class SessionManagementTests : ApiTestBase
{
    private const string ChromeOnLinux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string FirefoxOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private const string NewPassword = "another-long-passphrase";

    // The node believes X-Forwarded-For from loopback, as behind a load balancer: the list shows the client's address.
    protected override string[] Settings => ["--Web:KnownNetworks=127.0.0.0/8"];

    [Fact]
    public async Task Changing_the_password_signs_out_every_other_session_but_not_the_current_one()
    {
        var name = ApiClient.NewName("pw");
        using var current = await ApiClient.SignedInAsync(Server, name);
        using var other1 = Server.CreateClient(await SignInAsync(name, ApiClient.Password));
        using var other2 = Server.CreateClient(await SignInAsync(name, ApiClient.Password));

        var changed = await current.PostAsJsonAsync("/api/me/password", new { currentPassword = ApiClient.Password, newPassword = NewPassword });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("no-store", changed.Headers.CacheControl?.ToString());
        Assert.Equal(2, (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revokedSessions").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await current.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other1.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other2.GetAsync("/api/me")).StatusCode);

        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/sessions", new { username = name, password = ApiClient.Password })).StatusCode);
        Assert.NotEmpty(await SignInAsync(name, NewPassword));
    }

    [Fact]
    public async Task A_wrong_current_password_changes_nothing_and_counts_toward_the_account_lock()
    {
        var name = ApiClient.NewName("pw");
        using var current = await ApiClient.SignedInAsync(Server, name);
        using var other = Server.CreateClient(await SignInAsync(name, ApiClient.Password));

        var wrong = await current.PostAsJsonAsync("/api/me/password", new { currentPassword = "not-my-password", newPassword = NewPassword });

        await ApiClient.AssertProblemAsync(wrong, HttpStatusCode.Forbidden, "wrong-password");
        Assert.Equal("no-store", wrong.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/me")).StatusCode);
        Assert.NotEmpty(await SignInAsync(name, ApiClient.Password)); // the old password still works (and clears the count)

        // Web:SignInFailuresBeforeLock (5) wrong current passwords lock the name as five failed sign-ins would.
        for (var i = 0; i < 4; i++)
        {
            await ApiClient.AssertProblemAsync(
                await current.PostAsJsonAsync("/api/me/password", new { currentPassword = "not-my-password", newPassword = NewPassword }), HttpStatusCode.Forbidden, "wrong-password");
        }

        var fifth = await current.PostAsJsonAsync("/api/me/password", new { currentPassword = "not-my-password", newPassword = NewPassword });
        await ApiClient.AssertProblemAsync(fifth, HttpStatusCode.Forbidden, "wrong-password");
        var locked = await current.PostAsJsonAsync("/api/me/password", new { currentPassword = ApiClient.Password, newPassword = NewPassword });
        await ApiClient.AssertProblemAsync(locked, HttpStatusCode.TooManyRequests, "sign-in-locked");
        Assert.True(locked.Headers.Contains("Retry-After"));
        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await anonymous.PostAsJsonAsync("/api/sessions", new { username = name, password = ApiClient.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task The_list_shows_each_sessions_device_address_and_which_is_current_and_never_a_token()
    {
        var name = ApiClient.NewName("ls");
        using var _ = await ApiClient.SignedInAsync(Server, name);
        var chromeToken = await SignInAsync(name, ApiClient.Password, ChromeOnLinux, "203.0.113.7");
        var firefoxToken = await SignInAsync(name, ApiClient.Password, FirefoxOnWindows, "198.51.100.20");
        using var chrome = Server.CreateClient(chromeToken);

        var response = await chrome.GetAsync("/api/me/sessions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var text = await response.Content.ReadAsStringAsync();
        var sessions = JsonDocument.Parse(text).RootElement.EnumerateArray().ToList();
        Assert.Equal(3, sessions.Count);
        var current = Assert.Single(sessions, s => s.GetProperty("current").GetBoolean());
        Assert.Equal("Chrome on Linux", current.GetProperty("device").GetString());
        Assert.Equal("203.0.113.7", current.GetProperty("clientAddress").GetString());
        var firefox = Assert.Single(sessions, s => s.GetProperty("device").GetString() == "Firefox on Windows");
        Assert.Equal("198.51.100.20", firefox.GetProperty("clientAddress").GetString());
        Assert.False(firefox.GetProperty("current").GetBoolean());
        foreach (var s in sessions)
        {
            Assert.InRange(s.GetProperty("id").GetString()!.Length, 16, 64);
            Assert.True(s.GetProperty("lastSeenAt").GetDateTimeOffset() >= s.GetProperty("createdAt").GetDateTimeOffset());
        }

        foreach (var token in new[] { chromeToken, firefoxToken })
        {
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Scalegram.Accounts.SessionStore.Hash(token), text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_session_signed_out_by_ID_is_refused_at_once_and_another_users_ID_is_a_404_that_changes_nothing()
    {
        var name = ApiClient.NewName("id");
        using var me = await ApiClient.SignedInAsync(Server, name);
        using var laptop = Server.CreateClient(await SignInAsync(name, ApiClient.Password, FirefoxOnWindows));
        using var stranger = await ApiClient.NewUserAsync(Server, "st");
        var laptopId = await IdOfAsync(me, "Firefox on Windows");

        // Someone else's ID is answered exactly as an ID that does not exist.
        var theirs = await stranger.DeleteAsync($"/api/me/sessions/{laptopId}");
        var unknown = await stranger.DeleteAsync("/api/me/sessions/no-such-session-id");
        var problem = await ApiClient.AssertProblemAsync(theirs, HttpStatusCode.NotFound, "not-found");
        Assert.Equal(problem.GetProperty("detail").GetString(), (await ApiClient.AssertProblemAsync(unknown, HttpStatusCode.NotFound, "not-found")).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/api/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await me.DeleteAsync($"/api/me/sessions/{laptopId}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await laptop.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await me.GetAsync("/api/me")).StatusCode);
        await ApiClient.AssertProblemAsync(await me.DeleteAsync($"/api/me/sessions/{laptopId}"), HttpStatusCode.NotFound, "not-found");
        Assert.DoesNotContain(laptopId, await me.GetStringAsync("/api/me/sessions"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_out_everywhere_else_keeps_this_session_and_everywhere_ends_it_too()
    {
        var name = ApiClient.NewName("all");
        using var me = await ApiClient.SignedInAsync(Server, name);
        using var phone = Server.CreateClient(await SignInAsync(name, ApiClient.Password));
        using var tablet = Server.CreateClient(await SignInAsync(name, ApiClient.Password));

        var others = await me.PostAsync("/api/me/sessions/revoke-others", null);
        Assert.Equal(HttpStatusCode.OK, others.StatusCode);
        Assert.Equal(2, (await others.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revoked").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tablet.GetAsync("/api/me")).StatusCode);
        Assert.Single((await me.GetFromJsonAsync<JsonElement>("/api/me/sessions")).EnumerateArray());

        using var desktop = Server.CreateClient(await SignInAsync(name, ApiClient.Password));
        var all = await me.PostAsync("/api/me/sessions/revoke-all", null);
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal(2, (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revoked").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await me.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await desktop.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_session_unused_for_longer_than_the_idle_timeout_is_refused_and_a_used_one_is_kept_alive()
    {
        var name = ApiClient.NewName("idle");
        using var _ = await ApiClient.SignedInAsync(Server, name);
        var idleToken = await SignInAsync(name, ApiClient.Password);
        var recentToken = await SignInAsync(name, ApiClient.Password);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        const long Day = 24 * 60 * 60 * 1000;
        await SetLastSeenAsync(idleToken, now - 15 * Day); // the default idle timeout is 14 days
        await SetLastSeenAsync(recentToken, now - 13 * Day);

        using var idle = Server.CreateClient(idleToken);
        using var recent = Server.CreateClient(recentToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await idle.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await recent.GetAsync("/api/me")).StatusCode);

        // Using it moved last-seen to now: the session has another 14 days.
        Assert.InRange(await LastSeenAsync(recentToken), now - 60_000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.DoesNotContain((await recent.GetFromJsonAsync<JsonElement>("/api/me/sessions")).EnumerateArray(), s => s.GetProperty("lastSeenAt").GetDateTimeOffset() < DateTimeOffset.UtcNow.AddDays(-14));
    }

    [Fact]
    public async Task Bad_password_change_input_is_a_4xx_problem_and_changes_nothing()
    {
        var name = ApiClient.NewName("bad");
        using var me = await ApiClient.SignedInAsync(Server, name);
        using var other = Server.CreateClient(await SignInAsync(name, ApiClient.Password));

        await ApiClient.AssertProblemAsync(await me.PostAsJsonAsync("/api/me/password", new { currentPassword = ApiClient.Password }), HttpStatusCode.BadRequest, "missing-password");
        await ApiClient.AssertProblemAsync(await me.PostAsJsonAsync("/api/me/password", new { newPassword = NewPassword }), HttpStatusCode.BadRequest, "missing-password");
        await ApiClient.AssertProblemAsync(await me.PostAsJsonAsync("/api/me/password", new { currentPassword = ApiClient.Password, newPassword = new string('p', 1025) }), HttpStatusCode.BadRequest, "password-too-long");
        await ApiClient.AssertProblemAsync(await me.PostAsJsonAsync("/api/me/password", new { currentPassword = new string('p', 5000), newPassword = NewPassword }), HttpStatusCode.BadRequest, "password-too-long");
        await ApiClient.AssertProblemAsync(await me.PostAsJsonAsync("/api/me/password", new { currentPassword = ApiClient.Password, newPassword = "control\0chars-in-it" }), HttpStatusCode.BadRequest, "weak-password");
        await ApiClient.AssertProblemAsync(await me.PostAsJsonAsync("/api/me/password", new { currentPassword = ApiClient.Password, newPassword = "short" }), HttpStatusCode.BadRequest, "weak-password");
        await ApiClient.AssertProblemAsync(await me.PostAsJsonAsync("/api/me/password", new { currentPassword = ApiClient.Password, newPassword = $"x{name}x-long" }), HttpStatusCode.BadRequest, "weak-password");
        using var malformed = new StringContent("{\"currentPassword\": ", System.Text.Encoding.UTF8, "application/json");
        var broken = await me.PostAsync("/api/me/password", malformed);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal("application/problem+json", broken.Content.Headers.ContentType?.MediaType);
        var huge = await me.PostAsJsonAsync("/api/me/password", new { currentPassword = ApiClient.Password, newPassword = new string('p', 100_000) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal("application/problem+json", huge.Content.Headers.ContentType?.MediaType);
        await ApiClient.AssertProblemAsync(await me.DeleteAsync("/api/me/sessions/" + new string('a', 200)), HttpStatusCode.NotFound, "not-found");
        using var anonymous = Server.CreateClient();
        await ApiClient.AssertProblemAsync(await anonymous.PostAsJsonAsync("/api/me/password", new { currentPassword = ApiClient.Password, newPassword = NewPassword }), HttpStatusCode.Unauthorized, "not-signed-in");
        await ApiClient.AssertProblemAsync(await anonymous.GetAsync("/api/me/sessions"), HttpStatusCode.Unauthorized, "not-signed-in");

        // Nothing changed: the old password signs in, the other session lives.
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/me")).StatusCode);
        Assert.NotEmpty(await SignInAsync(name, ApiClient.Password));
    }

    [Fact]
    public async Task A_cookie_session_needs_the_csrf_header_to_change_the_password()
    {
        var name = ApiClient.NewName("csrf");
        using var _ = await ApiClient.SignedInAsync(Server, name);
        using var browser = Server.CreateCookieClient();
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync("/api/sessions", new { username = name, password = ApiClient.Password })).StatusCode);

        var forged = await browser.PostAsJsonAsync("/api/me/password", new { currentPassword = ApiClient.Password, newPassword = NewPassword });

        await ApiClient.AssertProblemAsync(forged, HttpStatusCode.BadRequest, "csrf");
        Assert.NotEmpty(await SignInAsync(name, ApiClient.Password));
    }

    private async Task<string> SignInAsync(string username, string password, string? userAgent = null, string? forwardedFor = null)
    {
        using var client = Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = JsonContent.Create(new { username, password }) };
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private static async Task<string> IdOfAsync(HttpClient client, string device) =>
        Assert.Single((await client.GetFromJsonAsync<JsonElement>("/api/me/sessions")).EnumerateArray(), s => s.GetProperty("device").GetString() == device)
            .GetProperty("id").GetString()!;

    private async Task SetLastSeenAsync(string token, long at)
    {
        await using var connection = await Server.Services.GetRequiredService<Database>().Directory.Primary.OpenAsync();
        Assert.Equal(1, await connection.ExecuteAsync(
            "UPDATE sessions SET last_seen_at = @at WHERE token_hash = @hash", new { at, hash = Scalegram.Accounts.SessionStore.Hash(token) }));
    }

    private async Task<long> LastSeenAsync(string token)
    {
        await using var connection = await Server.Services.GetRequiredService<Database>().Directory.Primary.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT last_seen_at FROM sessions WHERE token_hash = @hash", new { hash = Scalegram.Accounts.SessionStore.Hash(token) });
    }
}

/// <summary>The same, on PostgreSQL.</summary>
public sealed class SessionManagementTestsOnPostgres : SessionManagementTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
