using System.Net;
using System.Net.Http.Json;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;
using Scalegram.Web;

namespace Scalegram.Tests.Security;

/// <summary>Finding 4: failed sign-ins lock the account name for a growing while, on every node, with the same answer for real and unknown names.</summary>
public sealed class BruteForceTests
{
    private const string Wrong = "wrong-password-here";

    [Fact]
    public void Per_address_defaults_are_low()
    {
        var defaults = new WebOptions();
        Assert.InRange(defaults.SignInsPerMinute, 1, 60);
        Assert.InRange(defaults.SignUpsPerMinute, 1, 30);
    }

    [Fact]
    public async Task Five_failures_lock_the_name_even_for_the_right_password_and_an_unknown_name_answers_the_same()
    {
        await using var server = await TestServer.StartAsync(settings: ["--Web:SignInsPerMinute=1000"]);
        var name = ApiClient.NewName("bf");
        using var _ = await ApiClient.SignedInAsync(server, name);
        using var client = server.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(client, name, Wrong)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(client, "nobody_bf", Wrong)).StatusCode);
        }

        var known = await SignInAsync(client, name, ApiClient.Password);
        var unknown = await SignInAsync(client, "nobody_bf", ApiClient.Password);
        var answers = new List<string>();
        foreach (var locked in new[] { known, unknown })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.InRange(int.Parse(locked.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 900);
            var problem = await ApiClient.ProblemAsync(locked);
            Assert.Equal("sign-in-locked", problem.GetProperty("code").GetString());
            answers.Add(problem.GetProperty("detail").GetString()!);
        }

        Assert.Equal(answers[0], answers[1]);

        // Another account is not affected.
        var other = ApiClient.NewName("bf");
        using var __ = await ApiClient.SignedInAsync(server, other);
    }

    [Fact]
    public async Task A_lock_taken_on_one_node_holds_on_the_other_through_Redis()
    {
        await using var nodes = await WebNodes.StartAsync(await RedisServer.SharedAsync(), 2, "--Web:SignInsPerMinute=1000");
        var name = ApiClient.NewName("bf");
        using var _ = await ApiClient.SignedInAsync(nodes.A, name);
        using var a = nodes.A.CreateClient();
        using var b = nodes.B.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(i % 2 == 0 ? a : b, name, Wrong)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(b, name, ApiClient.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(a, name, ApiClient.Password)).StatusCode);
    }

    [Fact]
    public async Task A_password_over_1024_bytes_is_a_400_before_any_hashing_for_real_and_unknown_names()
    {
        await using var server = await TestServer.StartAsync();
        var name = ApiClient.NewName("bf");
        using var _ = await ApiClient.SignedInAsync(server, name);
        using var client = server.CreateClient();
        var huge = new string('p', 1025);
        var bodies = new List<string>();
        foreach (var who in new[] { name, "nobody_bf" })
        {
            var response = await SignInAsync(client, who, huge);
            var problem = await ApiClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "password-too-long");
            bodies.Add(problem.GetProperty("detail").GetString()!);
        }

        Assert.Equal(bodies[0], bodies[1]);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string username, string password) =>
        client.PostAsJsonAsync("/api/sessions", new { username, password });
}
