using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Scalegram.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scalegram.SystemTests.Topologies;

/// <summary>
/// Starts named topologies through the real AppHost (Aspire.Hosting.Testing), one at a time on
/// the fixed ports, and talks to the first web node at http://127.0.0.1:8080.
/// </summary>
public sealed class AppHostTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Single_starts_one_embedded_node_on_8080()
    {
        await using var app = await StartAsync("single");
        using var web = Client(8080);
        Assert.True((await web.GetAsync("/healthz/ready")).IsSuccessStatusCode);
        await AssertPrometheusScrapesExactlyAsync(app, ["127.0.0.1:8080"]);
    }

    [Fact]
    public async Task Queued_starts_RabbitMQ_web_and_worker_processes_and_a_worker_processes_an_upload()
    {
        // Postgres and Redis come from their own branch; this drill is about the broker and the roles.
        await using var app = await StartAsync("queued", "--db", "sqlite", "--cache", "memory", "--web-nodes", "2", "--workers", "2");
        using (var timeout = new CancellationTokenSource(StartTimeout))
        {
            foreach (var node in new[] { "web1", "worker0", "worker1" })
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(node, timeout.Token);
            }
        }

        using var web = Client(8080);
        using var second = Client(8081);
        using var worker = Client(8180);
        Assert.True((await web.GetAsync("/healthz/ready")).IsSuccessStatusCode);
        Assert.True((await second.GetAsync("/healthz/ready")).IsSuccessStatusCode);
        Assert.True((await worker.GetAsync("/healthz/ready")).IsSuccessStatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await worker.GetAsync("/api/photos/1")).StatusCode); // workers serve no API

        using var client = await Messaging.WorkerCrashTests.SignUpAsync(Client(8080), "apphostuser");
        var photoId = await ApiClient.UploadOkAsync(client, TestImages.Jpeg(640, 480));
        var photo = await ApiClient.WaitForPhotoAsync(client, photoId, TimeSpan.FromSeconds(120));
        Assert.Equal("ready", photo.GetProperty("status").GetString());
        await AssertPrometheusScrapesExactlyAsync(app, ["127.0.0.1:8080", "127.0.0.1:8081", "127.0.0.1:8180", "127.0.0.1:8181"]);
    }

    /// <summary>
    /// Prometheus (started by the topology) has exactly these Scalegram targets plus itself, and each
    /// is up: nothing the topology started is missing, nothing it did not start is scraped.
    /// </summary>
    private async Task AssertPrometheusScrapesExactlyAsync(DistributedApplication app, string[] nodes)
    {
        using (var timeout = new CancellationTokenSource(StartTimeout))
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync("prometheus", timeout.Token);
        }

        using var prometheus = Client(9090);
        string[] expected = [.. nodes.Append("127.0.0.1:9090").Order()];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string seen;
        while (true)
        {
            using var targets = System.Text.Json.JsonDocument.Parse(await prometheus.GetStringAsync("/api/v1/targets?state=active"));
            var active = targets.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
                .Select(t => (Address: t.GetProperty("labels").GetProperty("instance").GetString()!, Health: t.GetProperty("health").GetString()!))
                .OrderBy(t => t.Address)
                .ToList();
            seen = string.Join(", ", active.Select(t => $"{t.Address}={t.Health}"));
            if (active.Select(t => t.Address).SequenceEqual(expected) && active.All(t => t.Health == "up"))
            {
                output.WriteLine($"Prometheus targets: {seen}");
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Prometheus should scrape exactly {string.Join(", ", expected)}, all up; it has {seen}");
            await Task.Delay(500);
        }
    }

    private readonly string _state = Path.Combine(Path.GetTempPath(), "scalegram-topology-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<DistributedApplication> StartAsync(string topology, params string[] extra)
    {
        var state = _state;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Scalegram_AppHost>(
            ["--topology", topology, "--state-dir", state, .. extra]);
        var app = await builder.BuildAsync();
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("web0", timeout.Token);
        output.WriteLine($"{topology}: web0 healthy {started.Elapsed.TotalSeconds:F1} s after start");
        return app;
    }

    private static HttpClient Client(int port) => new(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
}
