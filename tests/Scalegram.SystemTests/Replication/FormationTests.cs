using System.Diagnostics;
using Npgsql;
using Scalegram.SystemTests.Infrastructure.Engines;
using Xunit.Abstractions;

namespace Scalegram.SystemTests.Replication;

/// <summary>
/// The pg_auto_failover formation itself (no app): synchronous replication to ANY 1 of two standbys,
/// replicas that serve what the primary committed, a failover after the primary's node dies, and what
/// pg_auto_failover does when no standby is left.
/// </summary>
public sealed class FormationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PgAutoFailoverCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await PgAutoFailoverCluster.StartAsync();
        output.WriteLine($"monitor + 3 nodes healthy {_cluster.StartupTime.TotalSeconds:0.0} s after launch; {_cluster.MemoryBytes() / (1024.0 * 1024):0} MiB (PSS, all processes)");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task The_primary_replicates_synchronously_to_ANY_1_of_two_standbys_and_both_serve_the_committed_row()
    {
        var primary = await _cluster.PrimaryAsync();
        var names = await PgAutoFailoverCluster.ScalarAsync<string>(primary, "SHOW synchronous_standby_names");
        output.WriteLine($"primary {primary}: synchronous_standby_names = {names}");
        Assert.StartsWith("ANY 1 (", names, StringComparison.Ordinal);
        Assert.Equal(2, names.Split(',').Length);
        Assert.Equal("on", await PgAutoFailoverCluster.ScalarAsync<string>(primary, "SHOW synchronous_commit"));
        Assert.Equal(2L, await PgAutoFailoverCluster.ScalarAsync<long>(primary, "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'quorum' AND state = 'streaming'"));

        // Written through the multi-host read-write string: it lands on the primary, and each replica serves it.
        await using (var connection = new NpgsqlConnection(_cluster.PrimaryConnectionString + ";Pooling=false"))
        {
            await connection.OpenAsync();
            Assert.Equal(primary.Port, connection.Port);
            await using var command = new NpgsqlCommand("CREATE TABLE probe (id int PRIMARY KEY); INSERT INTO probe VALUES (1)", connection);
            await command.ExecuteNonQueryAsync();
        }

        foreach (var replica in _cluster.Nodes.Where(n => n != primary))
        {
            Assert.True(await PgAutoFailoverCluster.ScalarAsync<bool>(replica, "SELECT pg_is_in_recovery()"), $"{replica} should be a standby");
            await Infrastructure.Waits.UntilAsync(
                async () => await PgAutoFailoverCluster.ScalarAsync<bool>(replica, "SELECT to_regclass('probe') IS NOT NULL")
                    && await PgAutoFailoverCluster.ScalarAsync<long>(replica, "SELECT count(*) FROM probe WHERE id = 1") == 1,
                TimeSpan.FromSeconds(10), $"{replica} to replay the committed row");
        }
    }

    [Fact]
    public async Task Kill_9_of_the_primary_node_promotes_a_standby_and_the_read_write_string_finds_it()
    {
        var old = await _cluster.PrimaryAsync();
        var clock = Stopwatch.StartNew();
        await PgAutoFailoverCluster.KillAsync(old);
        await _cluster.WaitForAsync(s => s.Any(n => n.Name != old.Name && n.Reported is "primary" or "wait_primary" && n.Reported == n.Goal), TimeSpan.FromSeconds(60), "a standby to be promoted");
        var promoted = clock.Elapsed;
        var writable = await WaitWritableAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"kill -9 of {old}: monitor reports a new primary after {promoted.TotalSeconds:0.0} s, a write through the read-write string succeeds after {writable.TotalSeconds:0.0} s (clock from the kill: {clock.Elapsed.TotalSeconds:0.0} s)");

        // The node comes back with `pg_autoctl run` and rejoins as a standby of the new primary.
        _cluster.Restart(old);
        await _cluster.WaitHealthyAsync();
        Assert.True(await PgAutoFailoverCluster.ScalarAsync<bool>(old, "SELECT pg_is_in_recovery()"));
        Assert.NotEqual(old.Name, (await _cluster.PrimaryAsync()).Name);
    }

    [Fact]
    public async Task Kill_9_of_the_primary_postmaster_alone_is_restarted_by_its_keeper_and_the_node_stays_in_the_formation()
    {
        var primary = await _cluster.PrimaryAsync();
        var clock = Stopwatch.StartNew();
        var killed = await PgAutoFailoverCluster.KillPostmasterAsync(primary);

        // pg_autoctl's postgres service starts PostgreSQL again. Observed: with the monitor tuned to call a node
        // unhealthy after ~1-2 s, a restart slower than that also triggers a failover, and the node rejoins as a standby.
        await Infrastructure.Waits.UntilAsync(async () =>
        {
            try
            {
                return await PgAutoFailoverCluster.ScalarAsync<int>(primary, "SELECT 1", TimeSpan.FromSeconds(2)) == 1;
            }
            catch (NpgsqlException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), $"{primary} to serve again after its postmaster was killed");
        output.WriteLine($"postmaster {killed} of {primary} killed; serving again after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.NotEqual(killed, ProcessTree.Find(primary.Pid, "postgres -D"));
        await _cluster.WaitHealthyAsync();
        var now = await _cluster.PrimaryAsync();
        output.WriteLine(now == primary ? $"{primary} is still the primary (no failover)" : $"the monitor failed over to {now}; {primary} rejoined as a standby");
        Assert.Equal(now != primary, await PgAutoFailoverCluster.ScalarAsync<bool>(primary, "SELECT pg_is_in_recovery()"));
    }

    /// <summary>
    /// Observed behaviour with no healthy standby (pg_auto_failover 2.0, number_sync_standbys = 1): the
    /// primary stays "primary" and keeps synchronous_standby_names = ANY 1 (...), so a commit waits for a
    /// standby instead of being acknowledged on one node. A client that gives up (Npgsql's Command Timeout
    /// sends a cancel) gets an error; PostgreSQL itself answers such a cancel with a WARNING and success
    /// ("already committed locally"), which is why the app must not take a cancelled commit as acknowledged.
    /// Once a standby is back, the waiting commit completes.
    /// </summary>
    [Fact]
    public async Task With_both_standbys_dead_the_primary_keeps_synchronous_replication_and_commits_wait_until_a_standby_is_back()
    {
        var primary = await _cluster.PrimaryAsync();
        var standbys = _cluster.Nodes.Where(n => n != primary).ToList();
        await PgAutoFailoverCluster.KillAsync(standbys[0]);
        await PgAutoFailoverCluster.KillAsync(standbys[1]);
        await _cluster.WaitForAsync(s => s.Where(n => n.Name != primary.Name).All(n => n.Goal != "secondary"), TimeSpan.FromSeconds(60), "the monitor to see both standbys gone");
        await Task.Delay(TimeSpan.FromSeconds(5)); // time to change its mind, if it would
        var states = await _cluster.StatesAsync();
        var names = await PgAutoFailoverCluster.ScalarAsync<string>(primary, "SHOW synchronous_standby_names");
        output.WriteLine($"both standbys dead: synchronous_standby_names = '{names}'; {string.Join("; ", states)}");
        Assert.Equal(("primary", "primary"), states.Single(n => n.Name == primary.Name) is var p ? (p.Reported, p.Goal) : default);
        Assert.StartsWith("ANY 1 (", names, StringComparison.Ordinal);

        // A client that gives up by Npgsql's Command Timeout sends a cancel, and PostgreSQL answers a
        // cancelled synchronous-replication wait with a WARNING and success: seen here as acknowledged.
        var (ok, notice, took) = await TimedWriteAsync("CREATE TABLE cancelled (id int)", "Command Timeout=3");
        output.WriteLine($"Command Timeout=3: {(ok ? "reported success" : "failed")} after {took.TotalSeconds:0.0} s; notice: {notice}");
        if (ok)
        {
            Assert.Contains("canceling wait for synchronous replication", notice, StringComparison.Ordinal);
        }

        // With Cancellation Timeout=-1 Npgsql breaks the connection instead of cancelling: the write fails (outcome unknown to the app).
        (ok, notice, took) = await TimedWriteAsync("CREATE TABLE broken (id int)", "Command Timeout=3;Cancellation Timeout=-1");
        output.WriteLine($"Command Timeout=3;Cancellation Timeout=-1: {(ok ? "reported success" : "failed")} after {took.TotalSeconds:0.0} s; notice: {notice}");
        Assert.False(ok, "with no cancel request, a commit no standby has must not be reported as done");

        // A writer that keeps waiting is acknowledged once one standby is back.
        var waiting = Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(_cluster.PrimaryConnectionString + ";Pooling=false;Command Timeout=0");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("CREATE TABLE waited (id int)", connection);
            await command.ExecuteNonQueryAsync();
        });
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(waiting.IsCompleted, "a commit must not be acknowledged while no standby has it");
        var clock = Stopwatch.StartNew();
        _cluster.Restart(standbys[0]);
        await waiting.WaitAsync(TimeSpan.FromSeconds(120));
        output.WriteLine($"the waiting commit was acknowledged {clock.Elapsed.TotalSeconds:0.0} s after a standby was restarted");
        Assert.True(await PgAutoFailoverCluster.ScalarAsync<bool>(standbys[0], "SELECT to_regclass('waited') IS NOT NULL"));
    }

    /// <summary>Runs a write through the read-write string with extra settings: whether it reported success, any notice, how long it took.</summary>
    private async Task<(bool Ok, string Notice, TimeSpan Took)> TimedWriteAsync(string sql, string settings)
    {
        var clock = Stopwatch.StartNew();
        var notices = new List<string>();
        await using var connection = new NpgsqlConnection($"{_cluster.PrimaryConnectionString};Pooling=false;{settings}");
        connection.Notice += (_, e) => notices.Add($"{e.Notice.Severity}: {e.Notice.MessageText}");
        await connection.OpenAsync();
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
            return (true, string.Join(" | ", notices), clock.Elapsed);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return (false, $"{string.Join(" | ", notices)} ({e.GetType().Name}: {e.Message})", clock.Elapsed);
        }
    }

    /// <summary>How long after now a write through the read-write multi-host string first succeeds.</summary>
    private async Task<TimeSpan> WaitWritableAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_cluster.PrimaryConnectionString + ";Pooling=false;Timeout=2;Command Timeout=5");
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS after_failover (id int); INSERT INTO after_failover VALUES (1)", connection);
                await command.ExecuteNonQueryAsync();
                return clock.Elapsed;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && clock.Elapsed < timeout)
            {
                await Task.Delay(100);
            }
        }
    }
}
