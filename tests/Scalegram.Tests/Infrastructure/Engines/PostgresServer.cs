using Npgsql;

namespace Scalegram.Tests.Infrastructure.Engines;

/// <summary>
/// Debian's PostgreSQL 15, started once per test run as the postgres user in a temp directory
/// (127.0.0.1, a free port, trust auth) and stopped by PID when the test process exits.
/// Each test gets its own database, so tests stay as isolated as with a fresh SQLite file.
/// </summary>
public sealed class PostgresServer
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(StartAsync);
    private static int _databases;
    private readonly ServerProcess _process;

    private PostgresServer(ServerProcess process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    public string Directory { get; }

    /// <summary>The one server of this test run, started on first use.</summary>
    public static Task<PostgresServer> SharedAsync() => SharedServer.Value;

    public string ConnectionString(string database, int maxPool = 20) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Maximum Pool Size={maxPool};Timeout=15;Command Timeout=30";

    /// <summary>A server of its own (replication tests set cluster-wide things and kill servers); stopped when the test process exits.</summary>
    public static Task<PostgresServer> StartNewAsync() => StartAsync();

    /// <summary>kill -9 of the postmaster: the crash case (a new server is needed afterwards).</summary>
    public void Crash() => _process.Crash();

    /// <summary>Creates an empty database with a fresh name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres", 2));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    private static async Task<PostgresServer> StartAsync()
    {
        if (!File.Exists(Path.Combine(Bin, "postgres")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({Bin}/postgres missing): run tests/run.sh, which installs postgresql-15.");
        }

        SweepStoppedClusters();
        var directory = Path.Combine(Path.GetTempPath(), "scalegram-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var data = Path.Combine(directory, "data");
        System.IO.Directory.CreateDirectory(directory);

        // PostgreSQL refuses to run as root: the directory belongs to postgres and every binary runs as it.
        await ServerProcess.RunAsync("chown", "postgres:postgres", directory);
        await ServerProcess.RunAsync("setpriv", [.. AsPostgres, $"{Bin}/initdb", "-D", data, "--auth=trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
        var port = ServerProcess.FreePort();

        // setpriv execs, so the PID we hold is the postmaster's and our signal reaches it.
        var process = ServerProcess.Start("setpriv", [
            .. AsPostgres, $"{Bin}/postgres", "-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={directory}", "-c", "max_connections=500",
            "-c", "shared_buffers=64MB", "-c", "logging_collector=off", "-c", "log_min_messages=warning"], stopSignal: "INT");
        var server = new PostgresServer(process, port, directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopAndDelete();
        try
        {
            await process.WaitForPortAsync(port, "PostgreSQL", TimeSpan.FromSeconds(60));
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            server.StopAndDelete();
            throw;
        }

        return server;
    }

    /// <summary>
    /// The test host may be ended before its exit handler finishes deleting: clusters of earlier
    /// runs that are no longer running (no postmaster.pid) are removed here instead.
    /// </summary>
    private static void SweepStoppedClusters()
    {
        foreach (var stale in System.IO.Directory.EnumerateDirectories(Path.GetTempPath(), "scalegram-pg-*"))
        {
            if (!File.Exists(Path.Combine(stale, "data", "postmaster.pid"))
                && System.IO.Directory.GetCreationTimeUtc(stale) < DateTime.UtcNow.AddMinutes(-1))
            {
                try
                {
                    System.IO.Directory.Delete(stale, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private static string[] AsPostgres => ["--reuid=postgres", "--regid=postgres", "--init-groups"];

    /// <summary>The port opens before recovery ends; a query proves it accepts work.</summary>
    private Task WaitUntilReadyAsync() => WaitUntilConnectableAsync(ConnectionString("postgres", 1), TimeSpan.FromSeconds(30));

    /// <summary>Retries opening a connection until one opens or <paramref name="timeout"/> passes (then the last error is thrown).</summary>
    internal static async Task WaitUntilConnectableAsync(string connectionString, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private void StopAndDelete()
    {
        _process.Stop("INT");
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
