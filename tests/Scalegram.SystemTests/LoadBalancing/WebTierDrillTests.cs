using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Roles;
using Scalegram.SystemTests.Drills;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;
using Xunit.Abstractions;

namespace Scalegram.SystemTests.LoadBalancing;

/// <summary>
/// Real processes: three web nodes (role all, one PostgreSQL) behind a `--role lb` node, under a steady
/// open-loop load of reads and keyed comment POSTs. Afterwards a checker reads back every comment:
/// each one the client saw acknowledged is there exactly once, and none is there twice.
/// </summary>
public sealed class WebTierDrillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rate = 40;
    private readonly string _dataDir = Directory.CreateTempSubdirectory("scalegram-drill-").FullName;
    private readonly List<NodeProcess> _nodes = [];
    private string[] _settings = [];
    private NodeProcess _lb = null!;

    public async Task InitializeAsync()
    {
        var postgres = await PostgresServer.SharedAsync();
        _settings =
        [
            "--Data:Engine=Postgres", $"--Data:Postgres:Stores:0:Primary={await postgres.CreateDatabaseAsync("drill")}",
            "--Caching:Disabled=true", // three in-process caches and no Redis: every read goes to the database
            "--Web:DrainDelay=00:00:02.500", // ≥ the lb's 1 s interval × 1 failure + a probe
        ];
        for (var i = 0; i < 3; i++)
        {
            _nodes.Add(await NodeProcess.StartAsync(NodeRole.All, _dataDir, _settings));
        }

        _lb = await NodeProcess.StartAsync(NodeRole.Lb, Path.Combine(_dataDir, "lb"),
        [
            .. _nodes.Select((n, i) => $"--LoadBalancing:Destinations:{i}=http://127.0.0.1:{n.Port}"),
            "--LoadBalancing:HealthCheckInterval=00:00:01",
        ]);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes.Append(_lb).Where(n => n is not null))
        {
            await node.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Kill_9_of_a_web_node_under_load_fails_no_read_and_loses_or_doubles_no_acknowledged_write()
    {
        var (client, photoId, user) = await SeedAsync();
        var history = new History();
        var load = OpenLoop.RunAsync(Rate, TimeSpan.FromSeconds(10), n => OperationAsync(client, history, photoId, user, n));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var victim = _nodes[1];
        await victim.KillAsync();
        output.WriteLine($"killed node on :{victim.Port} at {history.Now.TotalSeconds:0.0}s");
        await load;

        await AssertHistoryAsync(client, history, photoId);
        using var lb = _lb.CreateClient();
        var metrics = await lb.GetStringAsync("/metrics");
        output.WriteLine(string.Join("\n", metrics.Split('\n').Where(l => l.StartsWith("scalegram_lb_retries", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task A_rolling_restart_of_every_web_node_under_load_fails_no_request()
    {
        var (client, photoId, user) = await SeedAsync();
        var history = new History();
        var load = OpenLoop.RunAsync(Rate, TimeSpan.FromSeconds(30), n => OperationAsync(client, history, photoId, user, n));
        for (var i = 0; i < _nodes.Count; i++)
        {
            var old = _nodes[i];
            await old.StopAsync(); // SIGTERM: not ready at once, serves through the drain, then exits
            output.WriteLine($"node :{old.Port} stopped at {history.Now.TotalSeconds:0.0}s");
            _nodes[i] = await NodeProcess.StartOnPortAsync(NodeRole.All, _dataDir, old.Port, _settings);
            await old.DisposeAsync();
            await Task.Delay(TimeSpan.FromSeconds(2)); // the lb sees it healthy again before the next goes
        }

        await load;
        await AssertHistoryAsync(client, history, photoId);
        Assert.DoesNotContain(history.Operations, o => o.Outcome != History.Outcome.Ok);
    }

    private async Task<(HttpClient Client, string PhotoId, string User)> SeedAsync()
    {
        using var anonymous = _lb.CreateClient();
        var user = ApiClient.NewName("drill");
        Assert.Equal(HttpStatusCode.Created, (await anonymous.PostAsJsonAsync("/api/accounts", new { username = user, password = ApiClient.Password })).StatusCode);
        var client = _lb.CreateClient(await ApiClient.TokenAsync(anonymous, user));
        client.Timeout = TimeSpan.FromSeconds(15);
        var photo = await ApiClient.UploadReadyAsync(client, TestImages.Jpeg(320, 240), caption: "drill");
        return (client, photo.GetProperty("id").GetString()!, user);
    }

    /// <summary>One in five operations writes a comment under an Idempotency-Key (the lb may retry it); the rest read.</summary>
    private static Task OperationAsync(HttpClient client, History history, string photoId, string user, long n) => n % 5 == 0
        ? CommentLedger.WriteAsync(client, history, photoId, $"{n}")
        : history.RecordAsync("read", n % 2 == 0 ? "photo" : "profile", async () =>
        {
            using var response = await client.GetAsync(n % 2 == 0 ? $"/api/photos/{photoId}" : $"/api/users/{user}");
            return (response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        });

    private async Task AssertHistoryAsync(HttpClient client, History history, string photoId)
    {
        output.WriteLine(history.Summary());
        var reads = history.Of("read").ToList();
        Assert.True(reads.All(o => o.Outcome == History.Outcome.Ok), $"every read must succeed:\n{history.Failures("read")}");

        await CommentLedger.AssertReadBackAsync(client, history, photoId, output);
    }
}
