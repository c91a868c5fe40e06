using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Scalegram.Observability;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Security;

/// <summary>
/// /metrics and /openapi are not public: by default only local callers that came through no proxy get
/// them; with Observability:ManagementPort they answer on that port alone and the public port says 404.
/// </summary>
[Collection(nameof(Api.OperationsEndpointTests))]
public sealed class ManagementPortTests
{
    private static readonly string[] ManagementPaths = ["/metrics", "/openapi/v1.json"];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient client, string path, string? forwardedFor = null, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task By_default_only_a_local_caller_through_no_proxy_gets_metrics_and_openapi()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        foreach (var path in ManagementPaths)
        {
            Assert.Equal(HttpStatusCode.OK, await GetAsync(client, path));

            // What a request relayed by a proxy on this machine (the load balancer, a CDN edge) looks like.
            Assert.Equal(HttpStatusCode.NotFound, await GetAsync(client, path, forwardedFor: "203.0.113.9"));
        }

        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, "/healthz/live", forwardedFor: "203.0.113.9"));
    }

    [Fact]
    public void A_caller_from_another_machine_is_not_local()
    {
        var remote = new DefaultHttpContext();
        remote.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9");
        Assert.False(ManagementEndpoints.IsLocalAndDirect(remote));

        var local = new DefaultHttpContext();
        local.Connection.RemoteIpAddress = IPAddress.Parse("127.0.0.5");
        Assert.True(ManagementEndpoints.IsLocalAndDirect(local));
    }

    [Fact]
    public async Task Through_the_load_balancer_openapi_is_404_and_its_own_metrics_answer_local_scrapers()
    {
        await using var node = await TestServer.StartAsync(NodeRole.Web, settings: ["--Web:NodeName=node0"]);
        await using var lb = await TestServer.StartAsync(NodeRole.Lb, settings: [$"--LoadBalancing:Destinations:0={node.BaseAddress}"]);
        using var viaLb = lb.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await GetAsync(viaLb, "/healthz/live"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(viaLb, "/api/feed")); // proxied to the node
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(viaLb, "/openapi/v1.json"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(viaLb, "/metrics"));
    }

    [Fact]
    public async Task With_a_management_port_they_answer_there_only_and_the_public_port_says_404()
    {
        var port = FreePort();
        await using var server = await TestServer.StartAsync(settings: [$"--Observability:ManagementPort={port}"]);
        using var publicPort = server.CreateClient();
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.NotEqual(port, server.BaseAddress.Port);

        foreach (var path in ManagementPaths)
        {
            Assert.Equal(HttpStatusCode.NotFound, await GetAsync(publicPort, path));
            Assert.Equal(HttpStatusCode.NotFound, await GetAsync(publicPort, path, host: $"127.0.0.1:{port}")); // a Host header is not a port
            Assert.Equal(HttpStatusCode.OK, await GetAsync(management, path));
        }

        Assert.Contains("http_server_request_duration_seconds", await management.GetStringAsync("/metrics"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(management, "/healthz/live"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(management, "/api/feed"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(publicPort, "/healthz/live"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(publicPort, "/api/feed"));
    }

    [Theory]
    [InlineData("--Observability:ManagementPort=70000", "Observability:ManagementPort")]
    [InlineData("--Observability:ManagementHost=", "Observability:ManagementHost")]
    public async Task A_wrong_setting_fails_at_start_naming_the_key(string setting, string key)
    {
        var dir = Path.Combine(Path.GetTempPath(), "scalegram-test-" + Guid.NewGuid().ToString("N"));
        var error = await Assert.ThrowsAnyAsync<OptionsValidationException>(async () =>
        {
            await using var app = ScalegramApp.Build(["--urls=http://127.0.0.1:0", $"--Data:Directory={dir}", setting], NodeRole.All);
            await app.StartAsync();
        });
        Assert.Contains(key, error.Message);
    }
}
