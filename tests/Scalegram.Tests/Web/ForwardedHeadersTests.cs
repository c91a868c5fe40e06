using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Web;

/// <summary>X-Forwarded-For/-Proto count only when a configured proxy sent them: then the limits see the real client and the cookie is Secure over HTTPS.</summary>
public sealed class ForwardedHeadersTests
{
    private const string ClientA = "203.0.113.7";
    private const string ClientB = "203.0.113.8";

    [Fact]
    public async Task Behind_a_known_proxy_each_forwarded_client_has_its_own_sign_in_budget()
    {
        await using var server = await TestServer.StartAsync(settings: ["--Web:SignInsPerMinute=2", "--Web:KnownProxies=10.9.9.9, 127.0.0.1"]);
        using var client = server.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(client, forwardedFor: ClientA));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(client, forwardedFor: ClientA));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(client, forwardedFor: ClientA));

        // Another client behind the same proxy, and the proxy's own address, still have their budgets.
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(client, forwardedFor: ClientB));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(client, forwardedFor: null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("--Web:KnownProxies=10.9.9.9 --Web:KnownNetworks=192.168.0.0/16")]
    public async Task From_anyone_else_a_forged_X_Forwarded_For_changes_nothing(string proxies)
    {
        await using var server = await TestServer.StartAsync(settings: ["--Web:SignInsPerMinute=2", .. Split(proxies)]);
        using var client = server.CreateClient();

        // Every attempt counts against 127.0.0.1, whatever the header claims.
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(client, forwardedFor: ClientA));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(client, forwardedFor: ClientB));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(client, forwardedFor: "198.51.100.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(client, forwardedFor: null));
    }

    [Fact]
    public async Task Behind_a_known_network_the_session_cookie_is_Secure_when_the_client_used_HTTPS()
    {
        await using var server = await TestServer.StartAsync(settings: "--Web:KnownNetworks=127.0.0.0/8");
        var name = await SignUpAsync(server);

        Assert.Contains("secure", await SessionCookieAsync(server, name, forwardedProto: "https"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", await SessionCookieAsync(server, name, forwardedProto: null), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--Web:KnownProxies=10.9.9.9")]
    public async Task From_anyone_else_a_forged_X_Forwarded_Proto_does_not_make_the_cookie_Secure(string proxies)
    {
        await using var server = await TestServer.StartAsync(settings: Split(proxies));
        var name = await SignUpAsync(server);

        Assert.DoesNotContain("secure", await SessionCookieAsync(server, name, forwardedProto: "https"), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("--Web:KnownProxies=127.0.0.1,not-an-address", "Web:KnownProxies")]
    [InlineData("--Web:KnownNetworks=10.0.0.0/33", "Web:KnownNetworks")]
    public async Task A_malformed_proxy_setting_stops_the_node_naming_the_key(string setting, string key)
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(settings: setting));
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }

    /// <summary>Settings given to a theory as one space-separated string (none when empty).</summary>
    private static string[] Split(string settings) => settings.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<HttpStatusCode> SignInAsync(HttpClient client, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions")
        {
            Content = JsonContent.Create(new { username = "nobody_here", password = "wrong-password-123" }),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<string> SignUpAsync(TestServer server)
    {
        var name = ApiClient.NewName("fwd");
        using var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/accounts", new { username = name, password = ApiClient.Password })).StatusCode);
        return name;
    }

    private static async Task<string> SessionCookieAsync(TestServer server, string name, string? forwardedProto)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = JsonContent.Create(new { username = name, password = ApiClient.Password }) };
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Over HTTPS the cookie is __Host-sg_session (see Security/HttpsCookieTests).
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sg_session=", StringComparison.Ordinal) || c.StartsWith("__Host-sg_session=", StringComparison.Ordinal));
    }
}
