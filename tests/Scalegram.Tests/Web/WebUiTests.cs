using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Tests.Infrastructure;
using Scalegram.Web;

namespace Scalegram.Tests.Web;

/// <summary>The web UI over plain HTTP: error pages vs problem details, static asset caching, CSRF on forms, cookie flags.</summary>
public sealed partial class WebUiTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/no/such/page")]
    [InlineData("/u/nobody_here")]
    [InlineData("/p/12345")]
    public async Task A_missing_page_is_a_friendly_html_404_with_a_strict_content_security_policy(string path)
    {
        using var client = _server.CreateClient();
        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/no-such-endpoint")]
    [InlineData("/api/users/nobody_here")]
    [InlineData("/media/p/nothing.jpg")]
    [InlineData("/static/nothing.css")]
    public async Task Machine_paths_still_answer_problem_json(string path)
    {
        using var client = _server.CreateClient();
        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Static_assets_are_immutable_at_their_versioned_url_only()
    {
        using var client = _server.CreateClient();
        var url = _server.Services.GetRequiredService<StaticAssets>().Url("app.css");

        var versioned = await client.GetAsync(url);
        var unversioned = await client.GetAsync("/static/app.css");

        Assert.Equal(HttpStatusCode.OK, versioned.StatusCode);
        Assert.Equal("text/css", versioned.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", versioned.Headers.CacheControl?.ToString());
        Assert.Equal("no-cache", unversioned.Headers.CacheControl?.ToString());
        Assert.Equal(await versioned.Content.ReadAsStringAsync(), await unversioned.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_sign_in_form_post_without_the_antiforgery_token_is_refused()
    {
        using var client = _server.CreateClient();
        await client.PostAsJsonAsync("/api/accounts", new { username = "frank", password = ApiClient.Password });

        var response = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = "frank",
            ["Password"] = ApiClient.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("sg_session=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Signing_in_through_the_form_sets_an_http_only_same_site_session_cookie_and_redirects_locally_only()
    {
        using var client = _server.CreateClient();
        await client.PostAsJsonAsync("/api/accounts", new { username = "grace", password = ApiClient.Password });
        var form = await client.GetAsync("/signin");
        var antiforgeryCookie = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sg_csrf=", StringComparison.Ordinal)).Split(';')[0];
        var token = TokenField().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;

        using var post = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Username"] = "grace",
                ["Password"] = ApiClient.Password,
                ["ReturnUrl"] = "https://evil.example/",
                ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", antiforgeryCookie);
        var response = await client.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.ToString());
        var session = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sg_session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", session, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", session, StringComparison.Ordinal);
        Assert.DoesNotContain("secure", session, StringComparison.Ordinal); // plain HTTP here; HTTPS adds it
    }

    [Fact]
    public async Task Too_many_sign_in_attempts_get_a_friendly_page_in_the_ui_and_problem_json_from_the_api()
    {
        await using var strict = await TestServer.StartAsync(settings: "--Web:SignInsPerMinute=1");
        using var client = strict.CreateClient();

        var first = await client.GetAsync("/signin");
        var page = await client.GetAsync("/signin");
        var api = await client.PostAsJsonAsync("/api/sessions", new { username = "nobody", password = "whatever-it-is" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Slow down", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(page.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        Assert.Equal("rate-limited", (await ApiClient.ProblemAsync(api)).GetProperty("code").GetString());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
