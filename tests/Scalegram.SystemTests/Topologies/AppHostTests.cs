using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Scalegram.AppHost;
using Scalegram.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scalegram.SystemTests.Topologies;

/// <summary>
/// Starts named topologies through the real AppHost (Aspire.Hosting.Testing), one at a time on
/// the fixed ports, and talks to the entry point at http://127.0.0.1:8080 (the first web node, or the
/// floating address of the load balancers in scale-out).
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

    [Fact]
    public async Task Scale_out_serves_8080_through_the_floating_address_from_several_web_nodes_and_Prometheus_scrapes_every_process()
    {
        LoadBalancing.FloatingAddressDrillTests.RequireRoot();
        await using (var app = await StartAsync("scale-out"))
        {
            using (var timeout = new CancellationTokenSource(StartTimeout))
            {
                foreach (var node in new[] { "web1", "web2", "worker0", "worker1", "lb0", "lb1" })
                {
                    await app.ResourceNotifications.WaitForResourceHealthyAsync(node, timeout.Token);
                }
            }

            // keepalived gives the address to an LB once its check has passed twice (rise 2 × 1 s).
            using var entry = Client(8080);
            entry.Timeout = TimeSpan.FromSeconds(2);
            await Infrastructure.Waits.UntilAsync(async () =>
            {
                try
                {
                    return (await entry.GetAsync("/healthz/ready")).IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(30), "http://127.0.0.1:8080 to answer through the floating address");

            var user = ApiClient.NewName("scaleout");
            using var client = await Messaging.WorkerCrashTests.SignUpAsync(Client(8080), user);
            client.Timeout = TimeSpan.FromSeconds(30);
            var photoId = await ApiClient.UploadOkAsync(client, TestImages.Jpeg(640, 480));
            var photo = await ApiClient.WaitForPhotoAsync(client, photoId, TimeSpan.FromSeconds(120));
            Assert.Equal("ready", photo.GetProperty("status").GetString());

            var nodes = new HashSet<string>();
            for (var i = 0; i < 9; i++)
            {
                using var response = await client.GetAsync($"/api/users/{user}");
                Assert.True(response.IsSuccessStatusCode, $"GET through the entry point: {(int)response.StatusCode}");
                nodes.UnionWith(response.Headers.GetValues("X-Scalegram-Node"));
            }

            output.WriteLine($"answered by: {string.Join(", ", nodes.Order())}");
            Assert.True(nodes.Count >= 2, $"the LB should spread requests over the web nodes; only {string.Join(", ", nodes)} answered");
            await AssertPrometheusScrapesExactlyAsync(app,
                ["127.0.0.1:8081", "127.0.0.1:8082", "127.0.0.1:8083", "127.0.0.1:8180", "127.0.0.1:8181", "127.77.0.10:8080", "127.77.0.11:8080"]);
        }

        // The AppHost removes the network (namespaces, bridge, NAT rules) once it has stopped.
        using var netns = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ip", ["netns", "list"]) { RedirectStandardOutput = true })!;
        var namespaces = await netns.StandardOutput.ReadToEndAsync();
        await netns.WaitForExitAsync();
        Assert.DoesNotContain("lb0", namespaces);
    }

    [Fact]
    public async Task Replicated_runs_the_store_as_a_pg_auto_failover_formation_with_a_synchronous_standby_behind_the_scale_out_entry()
    {
        LoadBalancing.FloatingAddressDrillTests.RequireRoot();
        await using var app = await StartAsync("replicated");
        using (var timeout = new CancellationTokenSource(StartTimeout))
        {
            foreach (var node in new[] { "pg-monitor", "pg-node1", "pg-node2", "pg-node3", "web1", "web2", "worker0", "worker1", "lb0", "lb1" })
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(node, timeout.Token);
            }
        }

        // The monitor sees one primary and two secondaries on the fixed ports, and the primary replicates synchronously.
        await Infrastructure.Waits.UntilAsync(async () =>
        {
            await using var monitor = new Npgsql.NpgsqlConnection($"Host=127.0.0.1;Port={Ports.PostgresMonitor};Username=autoctl_node;Database=pg_auto_failover;Pooling=false");
            await monitor.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("SELECT string_agg(nodeport || '=' || reportedstate, ',' ORDER BY nodeport) FROM pgautofailover.node WHERE reportedstate = goalstate", monitor);
            var states = (string?)await command.ExecuteScalarAsync() ?? "";
            output.WriteLine($"formation: {states}");
            return states.Split(',').Count(s => s.EndsWith("=secondary", StringComparison.Ordinal)) == 2 && states.Split(',').Count(s => s.EndsWith("=primary", StringComparison.Ordinal)) == 1;
        }, TimeSpan.FromSeconds(120), "one primary and two secondaries on 15441-15443");
        await using (var primary = new Npgsql.NpgsqlConnection($"{PostgresFormation.PrimaryConnectionString};Pooling=false"))
        {
            await primary.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("SHOW synchronous_standby_names", primary);
            var names = (string)(await command.ExecuteScalarAsync())!;
            output.WriteLine($"primary 127.0.0.1:{primary.Port}: synchronous_standby_names = {names}");
            Assert.StartsWith("ANY 1 (", names, StringComparison.Ordinal);
        }

        using var entry = Client(8080);
        entry.Timeout = TimeSpan.FromSeconds(2);
        await Infrastructure.Waits.UntilAsync(async () =>
        {
            try
            {
                return (await entry.GetAsync("/healthz/ready")).IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "http://127.0.0.1:8080 to answer through the floating address");

        var user = ApiClient.NewName("replicated");
        using var client = await Messaging.WorkerCrashTests.SignUpAsync(Client(8080), user);
        client.Timeout = TimeSpan.FromSeconds(30);
        var photoId = await ApiClient.UploadOkAsync(client, TestImages.Jpeg(640, 480));
        var photo = await ApiClient.WaitForPhotoAsync(client, photoId, TimeSpan.FromSeconds(120));
        Assert.Equal("ready", photo.GetProperty("status").GetString());
        await AssertPrometheusScrapesExactlyAsync(app,
            ["127.0.0.1:8081", "127.0.0.1:8082", "127.0.0.1:8083", "127.0.0.1:8180", "127.0.0.1:8181", "127.77.0.10:8080", "127.77.0.11:8080"]);
    }

    [Fact]
    public async Task Cdn_serves_media_from_the_varnish_edge_out_of_the_s3_store_and_private_media_only_signed()
    {
        LoadBalancing.FloatingAddressDrillTests.RequireRoot();
        await using var app = await StartAsync("cdn");
        using (var timeout = new CancellationTokenSource(StartTimeout))
        {
            foreach (var node in new[] { "swift", "pg-monitor", "web0", "web1", "web2", "worker0", "worker1", "lb0", "lb1", "edge" })
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(node, timeout.Token);
            }
        }

        using var entry = Client(8080);
        entry.Timeout = TimeSpan.FromSeconds(2);
        await Infrastructure.Waits.UntilAsync(async () =>
        {
            try
            {
                return (await entry.GetAsync("/healthz/ready")).IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "http://127.0.0.1:8080 to answer through the floating address");

        var user = ApiClient.NewName("cdn");
        using var client = await Messaging.WorkerCrashTests.SignUpAsync(Client(8080), user);
        client.Timeout = TimeSpan.FromSeconds(30);
        var photoId = await ApiClient.UploadOkAsync(client, TestImages.Jpeg(640, 480));
        Assert.Equal("ready", (await ApiClient.WaitForPhotoAsync(client, photoId, TimeSpan.FromSeconds(120))).GetProperty("status").GetString());

        // Media URLs point at the edge once the nodes have seen it up; the second GET is a hit.
        var edge = $"http://127.0.0.1:{Ports.Edge}";
        string url = "";
        await Infrastructure.Waits.UntilAsync(async () =>
        {
            url = (await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/photos/{photoId}")).GetProperty("variants")[0].GetProperty("url").GetString()!;
            return url.StartsWith(edge + "/media/p/", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "media URLs to point at the edge");
        using var browser = new HttpClient();
        (await browser.GetAsync(url)).Dispose();
        using (var hit = await browser.GetAsync(url))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, hit.StatusCode);
            Assert.Equal("HIT", hit.Headers.GetValues("X-Cache").Single());
        }

        // Private: the answer carries a signed edge URL that loads; the public one is purged from the edge.
        (await client.PutAsJsonAsync("/api/me/privacy", new { @private = true })).EnsureSuccessStatusCode();
        var signed = (await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/photos/{photoId}")).GetProperty("variants")[0].GetProperty("url").GetString()!;
        Assert.StartsWith(edge + "/media/s/", signed, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.GetAsync(signed)).StatusCode);
        await Infrastructure.Waits.UntilAsync(async () => (await browser.GetAsync(url)).StatusCode == System.Net.HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(30), "the public URL to be purged from the edge");
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
