using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Roles;

namespace Scalegram.Tests.Infrastructure;

/// <summary>A real Scalegram node on Kestrel, on a free loopback port, with its own temporary data directory.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsDirectory;
    private Task? _stopped;

    private TestServer(WebApplication app, string dataDir, bool ownsDirectory)
    {
        _app = app;
        DataDir = dataDir;
        _ownsDirectory = ownsDirectory;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    public Uri BaseAddress { get; }

    public string DataDir { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<TestServer> StartAsync(NodeRole role = NodeRole.All, string? dataDir = null, params string[] settings) =>
        StartAsync(role, dataDir, configure: null, settings);

    /// <summary>Starts a node after <paramref name="configure"/> has added to it (a test-only endpoint, for instance).</summary>
    public static async Task<TestServer> StartAsync(NodeRole role, string? dataDir, Action<WebApplication>? configure, params string[] settings)
    {
        var owns = dataDir is null;
        dataDir ??= Path.Combine(Path.GetTempPath(), "scalegram-test-" + Guid.NewGuid().ToString("N"));
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--Data:Directory={dataDir}",
            "--Logging:LogLevel:Default=Warning",
            "--Messaging:PollInterval=00:00:00.100",
            "--Messaging:RetryBaseDelay=00:00:00.100",
            // No drain on stop unless a test asks for one (a later setting wins).
            "--Web:DrainDelay=00:00:00",
            "--LoadBalancing:DrainDelay=00:00:00",
            // Tests sign many users up and in from one address; the ones about limits set their own (a later setting wins).
            "--Web:SignUpsPerMinute=100000", "--Web:SignInsPerMinute=100000",
            .. settings,
        ];
        var app = ScalegramApp.Build(args, role);
        configure?.Invoke(app);
        await app.StartAsync();
        return new TestServer(app, dataDir, owns);
    }

    public HttpClient CreateClient(string? bearer = null)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>A client that keeps cookies (session and antiforgery) like a browser, and sends no bearer token.</summary>
    public HttpClient CreateCookieClient(System.Net.CookieContainer? jar = null) =>
        new(new HttpClientHandler { UseCookies = true, CookieContainer = jar ?? new System.Net.CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    /// <summary>Stops the node as SIGTERM would (drain, then the server stops); the port refuses connections afterwards.</summary>
    public Task StopAsync() => _stopped ??= _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        if (_ownsDirectory)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
