using System.Net;
using System.Net.Http.Json;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Web;

/// <summary>Sign-in limits are counted across nodes in Redis and answer the same 429 for known and unknown names.</summary>
public sealed class SharedLoginLimitsTests : IAsyncLifetime
{
    private WebNodes _nodes = null!;

    public async Task InitializeAsync() => _nodes = await WebNodes.StartAsync(await RedisServer.SharedAsync(), 2, "--Web:SignInsPerMinute=3");

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task Attempts_on_both_nodes_share_one_limit_and_the_429_does_not_tell_whether_the_name_exists()
    {
        using var a = _nodes.A.CreateClient();
        using var b = _nodes.B.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await a.PostAsJsonAsync("/api/accounts", new { username = "alice", password = ApiClient.Password })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(a, "alice")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(b, "nobody")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(a, "alice")).StatusCode);

        // Three attempts in the window, spread over two nodes: the fourth is refused on either node, for any name.
        var known = await SignInAsync(b, "alice");
        var unknown = await SignInAsync(a, "nobody");
        foreach (var refused in new[] { known, unknown })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
            Assert.Equal("rate-limited", (await ApiClient.ProblemAsync(refused)).GetProperty("code").GetString());
        }
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string username) =>
        client.PostAsJsonAsync("/api/sessions", new { username, password = "wrong-password-here" });
}
