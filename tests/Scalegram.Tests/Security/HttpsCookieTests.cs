using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Security;

/// <summary>Over HTTPS (here: X-Forwarded-Proto from a trusted proxy) the session cookie is __Host-sg_session, Secure, and answers carry HSTS.</summary>
public sealed class HttpsCookieTests
{
    [Fact]
    public async Task Over_HTTPS_the_session_cookie_has_the_Host_prefix_and_answers_carry_HSTS_over_HTTP_neither()
    {
        await using var server = await TestServer.StartAsync(settings: "--Web:KnownNetworks=127.0.0.0/8");
        var name = ApiClient.NewName("https");
        using var _ = await ApiClient.SignedInAsync(server, name);
        using var client = server.CreateClient();

        var https = await SignInAsync(client, name, "https");
        var cookie = https.Headers.GetValues("Set-Cookie").Single(c => c.Contains("sg_session=", StringComparison.Ordinal));
        Assert.StartsWith("__Host-sg_session=", cookie);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("max-age=", Assert.Single(https.Headers.GetValues("Strict-Transport-Security")));

        // The __Host- cookie signs the HTTPS client in; a plain sg_session (plantable over HTTP or by a subdomain) does not.
        var token = cookie.Split(';')[0]["__Host-sg_session=".Length..];
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(client, $"__Host-sg_session={token}", "https")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(client, $"sg_session={token}", "https")).StatusCode);

        var http = await SignInAsync(client, name, null);
        Assert.StartsWith("sg_session=", http.Headers.GetValues("Set-Cookie").Single(c => c.Contains("sg_session=", StringComparison.Ordinal)));
        Assert.False(http.Headers.Contains("Strict-Transport-Security"));
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string name, string? proto)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = JsonContent.Create(new { username = name, password = ApiClient.Password }) };
        if (proto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", proto);
        }

        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static async Task<HttpResponseMessage> MeAsync(HttpClient client, string cookie, string proto)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("X-Forwarded-Proto", proto);
        var response = await client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal(JsonValueKind.String, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("username").ValueKind);
        }

        return response;
    }
}
