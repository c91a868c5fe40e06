using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Scalegram.Roles;
using Scalegram.SystemTests.Drills;
using Scalegram.SystemTests.Infrastructure.Engines;
using Scalegram.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scalegram.SystemTests.Replication;

/// <summary>
/// Real processes on a real pg_auto_failover formation (monitor, primary, two synchronous-quorum
/// standbys): two web nodes (role all, Data:Engine=Postgres, the primary by multi-host read-write
/// string, the three nodes as replica candidates, no cache) under a steady open-loop load of keyed
/// comment writes (retried by the client under the same Idempotency-Key) and reads, while a database
/// node is killed or frozen. Afterwards every write the client saw acknowledged is read back exactly once.
/// </summary>
public sealed class FailoverDrillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int WritesPerSecond = 10;
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(60); // generous: on 2 shared, busy cores a failover took up to ~30 s
    private readonly string _dataDir = Directory.CreateTempSubdirectory("scalegram-repl-drill-").FullName;
    private readonly List<NodeProcess> _nodes = [];
    private readonly List<HttpClient> _clients = [];
    private PgAutoFailoverCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await PgAutoFailoverCluster.StartAsync();
        output.WriteLine($"formation healthy {_cluster.StartupTime.TotalSeconds:0.0} s after launch, {_cluster.MemoryBytes() / (1024.0 * 1024):0} MiB");
        for (var i = 0; i < 2; i++)
        {
            _nodes.Add(await NodeProcess.StartAsync(NodeRole.All, _dataDir, [.. _cluster.AppSettings(), "--Caching:Disabled=true"]));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
            var text = node.Output;
            output.WriteLine($"--- web node :{node.Port} output (last 3000 chars) ---\n{(text.Length > 3000 ? text[^3000..] : text)}");
        }

        output.WriteLine(_cluster.Logs(8));
        await _cluster.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Kill_9_of_the_primary_node_under_write_load_loses_and_doubles_no_acknowledged_write_and_writes_resume()
    {
        var photoId = await SeedAsync();
        var history = new History();
        var load = OpenLoop.RunAsync(WritesPerSecond * 2, TimeSpan.FromSeconds(20), n => OperationAsync(history, photoId, n));
        await Task.Delay(TimeSpan.FromSeconds(5));

        var victim = await _cluster.PrimaryAsync();
        var killedAt = history.Now;
        await PgAutoFailoverCluster.KillAsync(victim);
        output.WriteLine($"kill -9 of primary {victim} (postgres and pg_autoctl) at {killedAt.TotalSeconds:0.0}s");
        await _cluster.WaitForAsync(s => s.Any(n => n.Name != victim.Name && n.Reported == n.Goal && n.Reported is "primary" or "wait_primary"), TimeSpan.FromSeconds(60), "a promoted standby");
        output.WriteLine($"monitor reports a new primary {(history.Now - killedAt).TotalSeconds:0.0} s after the kill");
        await load;

        var gap = OutageGap(history, killedAt);
        output.WriteLine($"writes resumed {gap.TotalSeconds:0.00} s after the kill (goal: under 5 s; load average {File.ReadAllText("/proc/loadavg").Trim()})");

        // The dead node comes back as a standby of the new primary; then every acknowledged write is read back once.
        _cluster.Restart(victim);
        await _cluster.WaitHealthyAsync();
        Assert.True(await PgAutoFailoverCluster.ScalarAsync<bool>(victim, "SELECT pg_is_in_recovery()"), $"{victim} should have rejoined as a standby");
        await AssertNothingLostAsync(history, photoId);
    }

    [Fact]
    public async Task A_frozen_primary_acknowledges_no_write_after_the_failover_and_rejoins_as_a_replica()
    {
        var photoId = await SeedAsync();
        var old = await _cluster.PrimaryAsync();

        // A session on the old primary opened before the cut, as a client that missed the failover would hold.
        await using (var setup = new NpgsqlConnection(_cluster.PrimaryConnectionString + ";Pooling=false"))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE split_probe (id int)", setup);
            await create.ExecuteNonQueryAsync();
        }

        await using var stale = new NpgsqlConnection(PgAutoFailoverCluster.ConnectionString(old) + ";Pooling=false;Command Timeout=5");
        await stale.OpenAsync();

        var history = new History();
        var load = OpenLoop.RunAsync(WritesPerSecond * 2, TimeSpan.FromSeconds(20), n => OperationAsync(history, photoId, n));
        await Task.Delay(TimeSpan.FromSeconds(4));
        var frozenAt = history.Now;
        var frozen = PgAutoFailoverCluster.Freeze(old);
        output.WriteLine($"SIGSTOP of {frozen.Count} processes of primary {old} at {frozenAt.TotalSeconds:0.0}s");
        await _cluster.WaitForAsync(s => s.Any(n => n.Name != old.Name && n.Reported == n.Goal && n.Reported is "primary" or "wait_primary"), TimeSpan.FromSeconds(60), "a standby promoted while the primary is frozen");
        var promotedAt = history.Now;
        output.WriteLine($"new primary {(await _cluster.PrimaryAsync())} {(promotedAt - frozenAt).TotalSeconds:0.0} s after the freeze");
        await Task.Delay(TimeSpan.FromSeconds(2));

        PgAutoFailoverCluster.Thaw(old);
        var thawedAt = history.Now;
        output.WriteLine($"SIGCONT at {thawedAt.TotalSeconds:0.0}s");

        // No split brain: the old primary cannot acknowledge a write any more (its synchronous
        // standbys follow the new primary; its keeper demotes it).
        var probe = Stopwatch.StartNew();
        string outcome;
        try
        {
            await using var insert = new NpgsqlCommand("INSERT INTO split_probe VALUES (1)", stale);
            await insert.ExecuteNonQueryAsync();
            outcome = "acknowledged";
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            outcome = $"refused: {e.GetType().Name}: {e.Message}";
        }

        output.WriteLine($"a write on the old primary after the failover: {outcome} ({probe.Elapsed.TotalSeconds:0.0} s)");
        Assert.NotEqual("acknowledged", outcome);

        await load;
        output.WriteLine($"writes resumed {OutageGap(history, frozenAt).TotalSeconds:0.00} s after the freeze (load average {File.ReadAllText("/proc/loadavg").Trim()})");

        // After SIGCONT the old primary is demoted and rejoins as a replica of the new one.
        await _cluster.WaitHealthyAsync();
        Assert.NotEqual(old.Name, (await _cluster.PrimaryAsync()).Name);
        Assert.True(await PgAutoFailoverCluster.ScalarAsync<bool>(old, "SELECT pg_is_in_recovery()"), $"{old} should have rejoined as a replica");
        var newPrimary = await _cluster.PrimaryAsync();
        Assert.Equal(0L, await PgAutoFailoverCluster.ScalarAsync<long>(newPrimary, "SELECT count(*) FROM split_probe"));
        await AssertNothingLostAsync(history, photoId);
    }

    /// <summary>Needs replica routing that retries a read on another replica or the primary (branch repl-app).</summary>
    [Fact]
    public async Task Kill_9_of_a_replica_under_read_load_fails_no_read()
    {
        var photoId = await SeedAsync();
        var primary = await _cluster.PrimaryAsync();
        var victim = _cluster.Nodes.First(n => n != primary);
        var history = new History();
        var load = OpenLoop.RunAsync(WritesPerSecond * 4, TimeSpan.FromSeconds(15), n => OperationAsync(history, photoId, n, writeEvery: 8));
        await Task.Delay(TimeSpan.FromSeconds(4));
        await PgAutoFailoverCluster.KillAsync(victim);
        output.WriteLine($"kill -9 of replica {victim} at {history.Now.TotalSeconds:0.0}s");
        await load;

        output.WriteLine(history.Summary());
        Assert.True(history.Of("read").All(o => o.Outcome == History.Outcome.Ok), $"every read must succeed:\n{history.Failures("read")}");
        Assert.Equal(primary.Name, (await _cluster.PrimaryAsync()).Name); // a replica's death is no failover
        await AssertNothingLostAsync(history, photoId);
    }

    private async Task<string> SeedAsync()
    {
        using var anonymous = _nodes[0].CreateClient();
        var user = ApiClient.NewName("repl");
        Assert.Equal(HttpStatusCode.Created, (await anonymous.PostAsJsonAsync("/api/accounts", new { username = user, password = ApiClient.Password })).StatusCode);
        var token = await ApiClient.TokenAsync(anonymous, user);
        foreach (var node in _nodes)
        {
            var client = node.CreateClient(token);
            client.Timeout = TimeSpan.FromSeconds(15);
            _clients.Add(client);
        }

        var photo = await ApiClient.UploadReadyAsync(_clients[0], TestImages.Jpeg(320, 240), caption: "replication drill");
        return photo.GetProperty("id").GetString()!;
    }

    /// <summary>Every <paramref name="writeEvery"/>-th operation writes (retried under its key); the others read the photo from alternating nodes.</summary>
    private Task OperationAsync(History history, string photoId, long n, int writeEvery = 2) => n % writeEvery == 0
        ? RetriedWrites.WriteAsync(_clients, history, photoId, n, RetryFor)
        : history.RecordAsync("read", $"photo-{n}", async () =>
        {
            using var response = await _clients[(int)(n % _clients.Count)].GetAsync($"/api/photos/{photoId}");
            return (response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        });

    /// <summary>
    /// From the fault until the first write started after it was acknowledged (writes retry, so this is
    /// when writing works again, as a client sees it). Fails the drill if writes never resumed.
    /// </summary>
    private static TimeSpan OutageGap(History history, TimeSpan faultAt)
    {
        var after = history.Of("write").Where(o => o.Outcome == History.Outcome.Ok && o.Invoked > faultAt).Select(o => o.Completed).Order().ToList();
        Assert.True(after.Count > 0, $"no write started after the fault at {faultAt.TotalSeconds:0.0}s was acknowledged:\n{history.Failures("write")}");
        return after[0] - faultAt;
    }

    /// <summary>Every keyed write was resolved by the client's retries, and each acknowledged one is stored exactly once.</summary>
    private async Task AssertNothingLostAsync(History history, string photoId)
    {
        output.WriteLine($"{history.Summary()}\nfirst read failures:\n{history.Failures("read", 5)}");
        Assert.True(history.Of("write").All(o => o.Outcome != History.Outcome.Unknown), $"writes left unknown after {RetryFor.TotalSeconds} s of retries:\n{history.Failures("write")}");
        await _cluster.WaitCaughtUpAsync(TimeSpan.FromSeconds(60));
        using var reader = _nodes[0].CreateClient(_clients[0].DefaultRequestHeaders.Authorization?.Parameter);
        reader.Timeout = TimeSpan.FromSeconds(30);
        await CommentLedger.AssertReadBackAsync(reader, history, photoId, output);
    }
}
