using System.Globalization;
using Npgsql;

namespace Scalegram.Tests.Infrastructure.Engines;

/// <summary>
/// A streaming replica of a <see cref="PostgresServer"/>: <c>pg_basebackup -R -X stream -C -S slot -c fast</c> into a
/// temp directory, its own port, optionally <c>recovery_min_apply_delay</c> (a standby lagging on purpose).
/// Start, kill -9, promote; disposing stops it, drops its slot on the primary and deletes its files.
/// </summary>
public sealed class PostgresReplica : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private static int _count;
    private readonly PostgresServer _primary;
    private readonly string _slot;
    private readonly TimeSpan _applyDelay;
    private ServerProcess? _process;

    private PostgresReplica(PostgresServer primary, string directory, string slot, int port, TimeSpan applyDelay)
    {
        _primary = primary;
        Directory = directory;
        _slot = slot;
        Port = port;
        _applyDelay = applyDelay;
    }

    public int Port { get; }

    public string Directory { get; }

    private string Data => Path.Combine(Directory, "data");

    private static string[] AsPostgres => ["--reuid=postgres", "--regid=postgres", "--init-groups"];

    /// <summary>Copies <paramref name="primary"/> and starts the copy as a hot standby streaming from it.</summary>
    public static async Task<PostgresReplica> StartAsync(PostgresServer primary, TimeSpan? applyDelay = null)
    {
        var slot = $"replica_{Environment.ProcessId}_{Interlocked.Increment(ref _count)}";
        var directory = Path.Combine(Path.GetTempPath(), "scalegram-pgr-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        await ServerProcess.RunAsync("chown", "postgres:postgres", directory);
        var replica = new PostgresReplica(primary, directory, slot, ServerProcess.FreePort(), applyDelay ?? TimeSpan.Zero);
        await ServerProcess.RunAsync("setpriv", [
            .. AsPostgres, $"{Bin}/pg_basebackup", "-h", "127.0.0.1", "-p", primary.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres",
            "-D", replica.Data, "-R", "-X", "stream", "-C", "-S", slot, "--no-sync", "--checkpoint=fast"]);
        await replica.StartAgainAsync();
        return replica;
    }

    /// <summary>A connection string to one database on this node (single host: one entry of Data:Postgres:Stores:N:Replicas).</summary>
    public string ConnectionString(string database, int maxPool = 20) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Maximum Pool Size={maxPool};Timeout=5;Command Timeout=30";

    /// <summary>Starts (or restarts after <see cref="Kill"/>) the standby and waits until it accepts queries.</summary>
    public async Task StartAgainAsync()
    {
        _process = ServerProcess.Start("setpriv", [
            .. AsPostgres, $"{Bin}/postgres", "-D", Data, "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={Directory}", "-c", "max_connections=500",
            "-c", "shared_buffers=32MB", "-c", "logging_collector=off", "-c", "log_min_messages=warning", "-c", "hot_standby=on",
            "-c", $"cluster_name={_slot}", "-c", $"recovery_min_apply_delay={(int)_applyDelay.TotalMilliseconds}ms"], stopSignal: "INT");
        await _process.WaitForPortAsync(Port, "PostgreSQL replica", TimeSpan.FromSeconds(60));
        await PostgresServer.WaitUntilConnectableAsync(ConnectionString("postgres", 1), TimeSpan.FromSeconds(60));
    }

    /// <summary>kill -9 of the standby's postmaster.</summary>
    public void Kill() => _process?.Crash();

    /// <summary>Makes this standby a primary (what a failover engine does), and waits until it accepts writes.</summary>
    public async Task PromoteAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres", 1) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_promote(true, 30)", connection);
        await command.ExecuteScalarAsync();
    }

    /// <summary>Waits (bounded) until this standby has replayed everything the primary has written so far.</summary>
    public Task CatchUpAsync(TimeSpan timeout) => ReplayAsync(timeout, TimeSpan.FromMilliseconds(50));

    /// <summary>
    /// How long this standby takes to replay what the primary has written up to now, from the moment the primary's
    /// position is read (connections opened first, asked without pause: a measurement).
    /// </summary>
    public async Task<TimeSpan> TimeToReplayAsync() => await ReplayAsync(TimeSpan.FromSeconds(30), TimeSpan.Zero);

    private async Task<TimeSpan> ReplayAsync(TimeSpan timeout, TimeSpan pause)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres", 1) + ";Pooling=false");
        await connection.OpenAsync();
        string target;
        await using (var primary = new NpgsqlConnection(_primary.ConnectionString("postgres", 1) + ";Pooling=false"))
        {
            await primary.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_current_wal_lsn()::text", primary);
            target = (string)(await command.ExecuteScalarAsync())!;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var command = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn() >= @target::pg_lsn", connection);
            command.Parameters.AddWithValue("target", target);
            if ((bool)(await command.ExecuteScalarAsync())!)
            {
                return clock.Elapsed;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Replica on port {Port} did not replay {target} within {timeout.TotalSeconds} s.");
            }

            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process?.Stop("INT");
        try
        {
            await using var connection = new NpgsqlConnection(_primary.ConnectionString("postgres", 1) + ";Pooling=false");
            await connection.OpenAsync();

            // The walsender may hold the slot for a moment after the standby stops.
            for (var attempt = 0; attempt < 50; attempt++)
            {
                await using var command = new NpgsqlCommand(
                    "SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots WHERE slot_name = @slot AND NOT active; SELECT count(*) FROM pg_replication_slots WHERE slot_name = @slot",
                    connection);
                command.Parameters.AddWithValue("slot", _slot);
                await using var reader = await command.ExecuteReaderAsync();
                await reader.NextResultAsync();
                await reader.ReadAsync();
                if (reader.GetInt64(0) == 0)
                {
                    break;
                }

                await Task.Delay(100);
            }
        }
        catch (NpgsqlException)
        {
            // The primary is gone (a failover test crashed it): nothing retains WAL for the slot any more.
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
