using System.Diagnostics;
using Npgsql;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.SystemTests.Infrastructure.Engines;

/// <summary>
/// A pg_auto_failover formation for drills: a monitor and three PostgreSQL 15 nodes (one primary, two
/// streaming replicas, synchronous replication ANY 1), each run by the operator's script
/// deploy/postgres/run-autoctl.sh (as the postgres user, 127.0.0.1, free ports, trust auth, no SSL) in a
/// temp directory, with the monitor tuned to fail over in seconds. Nodes can be killed (-9, the whole
/// node or only its postmaster), frozen (SIGSTOP) and thawed, and restarted; everything is stopped by PID.
/// </summary>
public sealed class PgAutoFailoverCluster : IAsyncDisposable
{
    public const string Database = "scalegram";
    private static readonly TimeSpan HealthyTimeout = TimeSpan.FromSeconds(90);
    private readonly string _script;
    private ServerProcess? _monitor;

    private PgAutoFailoverCluster(string directory, string script)
    {
        Directory = directory;
        _script = script;
        MonitorPort = FreePorts.Next();
        Nodes = [.. Enumerable.Range(1, 3).Select(i => new Node($"node{i}", FreePorts.Next(), Path.Combine(directory, $"node{i}")))];
    }

    public string Directory { get; }

    public int MonitorPort { get; }

    public IReadOnlyList<Node> Nodes { get; }

    /// <summary>From launch until the monitor reported one primary and two secondaries.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The multi-host connection string the app writes through: whichever node is writable now.</summary>
    public string PrimaryConnectionString =>
        $"Host={string.Join(',', Nodes.Select(n => $"127.0.0.1:{n.Port}"))};Username=postgres;Database={Database};Target Session Attributes=read-write";

    /// <summary>The monitor's database, as pg_autoctl's nodes reach it.</summary>
    public string MonitorConnectionString => $"Host=127.0.0.1;Port={MonitorPort};Username=autoctl_node;Database=pg_auto_failover;Pooling=false;Timeout=5";

    public static string ConnectionString(Node node) => $"Host=127.0.0.1;Port={node.Port};Username=postgres;Database={Database}";

    /// <summary>The Scalegram settings for a store on this formation: the primary by multi-host, every node as a replica candidate.</summary>
    public string[] AppSettings() =>
    [
        "--Data:Engine=Postgres",
        $"--Data:Postgres:Stores:0:Primary={PrimaryConnectionString}",
        .. Nodes.Select((n, i) => $"--Data:Postgres:Stores:0:Replicas:{i}={ConnectionString(n)}"),
    ];

    /// <summary>Starts the monitor, then the nodes (the first to register becomes the primary), and waits until the formation is healthy.</summary>
    public static async Task<PgAutoFailoverCluster> StartAsync()
    {
        foreach (var file in new[] { "/usr/bin/pg_autoctl", "/usr/lib/postgresql/15/lib/pgautofailover.so" })
        {
            if (!File.Exists(file))
            {
                throw new InvalidOperationException($"{file} is missing: install pg-auto-failover-cli and postgresql-15-auto-failover (tests/run.sh does).");
            }
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("scalegram-pgaf-").FullName;
        await ServerProcess.RunAsync("chmod", "755", directory); // the postgres user must reach its members' directories
        var cluster = new PgAutoFailoverCluster(directory, Path.Combine(Topologies.PrometheusConfigTests.RepositoryRoot(), "deploy", "postgres", "run-autoctl.sh"));
        var clock = Stopwatch.StartNew();
        try
        {
            cluster._monitor = cluster.Run("monitor", Path.Combine(directory, "monitor"), cluster.MonitorPort);
            await cluster._monitor.WaitForPortAsync(cluster.MonitorPort, "pg_auto_failover monitor", TimeSpan.FromSeconds(60));
            foreach (var node in cluster.Nodes)
            {
                node.Script = cluster.Run("node", node.Directory, node.Port, node.Name, cluster.MonitorPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (node == cluster.Nodes[0])
                {
                    await cluster.WaitForAsync(s => s.Any(n => n.Name == node.Name && n.Reported == "single"), TimeSpan.FromSeconds(60), "the first node to run as primary");
                }
            }

            await cluster.WaitHealthyAsync();
            cluster.StartupTime = clock.Elapsed;
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>What the monitor knows of each node now (as `pg_autoctl show state`).</summary>
    public async Task<IReadOnlyList<NodeState>> StatesAsync()
    {
        await using var connection = new NpgsqlConnection(MonitorConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT nodename, nodeport, reportedstate::text, goalstate::text, reportedlsn::text FROM pgautofailover.node ORDER BY nodename", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var states = new List<NodeState>();
        while (await reader.ReadAsync())
        {
            states.Add(new NodeState(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        return states;
    }

    /// <summary>Waits (bounded) until the monitor's states satisfy the condition; the failure names the last states seen.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<NodeState>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<NodeState> last = [];
        while (true)
        {
            try
            {
                last = await StatesAsync();
                if (condition(last))
                {
                    return;
                }
            }
            catch (NpgsqlException)
            {
                // The monitor is still starting.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up after {timeout.TotalSeconds} s waiting for {what}; monitor says: {string.Join("; ", last)}\n{Logs()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>One primary, every other node secondary, each in the state the monitor assigned it.</summary>
    public Task WaitHealthyAsync(TimeSpan? timeout = null) => WaitForAsync(
        s => s.Count == Nodes.Count && s.All(n => n.Reported == n.Goal) && s.Count(n => n.Reported == "primary") == 1 && s.Count(n => n.Reported == "secondary") == Nodes.Count - 1,
        timeout ?? HealthyTimeout, "one primary and the other nodes secondary");

    /// <summary>The node the monitor holds as primary now (reported and assigned).</summary>
    public async Task<Node> PrimaryAsync()
    {
        var states = await StatesAsync();
        var primary = states.SingleOrDefault(s => s.Goal is "primary" or "wait_primary" or "single" && s.Reported == s.Goal)
            ?? throw new InvalidOperationException($"no primary now: {string.Join("; ", states)}");
        return Nodes.Single(n => n.Name == primary.Name);
    }

    /// <summary>Waits (bounded) until every running standby has replayed everything the primary had written when called.</summary>
    public async Task WaitCaughtUpAsync(TimeSpan timeout)
    {
        var primary = await PrimaryAsync();
        var lsn = await ScalarAsync<string>(primary, "SELECT pg_current_wal_lsn()::text");
        foreach (var standby in Nodes.Where(n => n != primary && n.Script is { HasExited: false }))
        {
            await Waits.UntilAsync(
                async () =>
                {
                    try
                    {
                        return await ScalarAsync<bool>(standby, $"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn");
                    }
                    catch (NpgsqlException)
                    {
                        return false; // still starting or restarting
                    }
                },
                timeout, $"{standby} to replay up to {lsn}");
        }
    }

    /// <summary>Runs one statement on a node directly (no pooling) and returns the first column of the first row.</summary>
    public static async Task<T> ScalarAsync<T>(Node node, string sql, TimeSpan? timeout = null)
    {
        var seconds = (int)(timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds;
        await using var connection = new NpgsqlConnection($"{ConnectionString(node)};Pooling=false;Timeout={seconds};Command Timeout={seconds}");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>kill -9 of the whole node: its script, pg_autoctl (supervisor and keeper), the postmaster and its backends. Nothing restarts it.</summary>
    public static Task KillAsync(Node node) => KillTreeAsync(node);

    /// <summary>kill -9 of the postmaster only: pg_autoctl notices and starts PostgreSQL again.</summary>
    public static async Task<int> KillPostmasterAsync(Node node)
    {
        var postmaster = ProcessTree.Find(node.Pid, "postgres -D") ?? throw new InvalidOperationException($"{node.Name} has no postmaster");
        Signals.Send(postmaster, Signals.Kill);
        await FreePorts.WaitClosedAsync(node.Port, TimeSpan.FromSeconds(10));
        return postmaster;
    }

    /// <summary>SIGSTOP of every process of the node: it neither answers nor acts, as if cut off the network, and its TCP port still accepts connections.</summary>
    public static IReadOnlyList<int> Freeze(Node node) => ProcessTree.Signal(node.Pid, SigStop);

    /// <summary>SIGCONT of every process of the node frozen by <see cref="Freeze"/>.</summary>
    public static IReadOnlyList<int> Thaw(Node node) => ProcessTree.Signal(node.Pid, SigCont);

    /// <summary>Starts a killed node again on its data (`pg_autoctl run`): it rejoins the formation as the monitor decides.</summary>
    public void Restart(Node node) =>
        node.Script = Run("node", node.Directory, node.Port, node.Name, MonitorPort.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Proportional memory of the monitor and every node (all their processes).</summary>
    public long MemoryBytes() =>
        (_monitor is null ? 0 : ProcessTree.ProportionalBytes(_monitor.Pid)) + Nodes.Where(n => n.Script is { HasExited: false }).Sum(n => ProcessTree.ProportionalBytes(n.Pid));

    /// <summary>The last lines of each member's log (for failure messages).</summary>
    public string Logs(int lines = 15) => string.Join("\n", new[] { "monitor" }.Concat(Nodes.Select(n => n.Name)).Select(name =>
    {
        var file = Path.Combine(Directory, name + ".log");
        return File.Exists(file) ? $"--- {name} ---\n{string.Join('\n', File.ReadLines(file).TakeLast(lines))}" : $"--- {name}: no log ---";
    }));

    public async ValueTask DisposeAsync()
    {
        // Thaw first: a stopped process ignores SIGTERM until continued. Nodes before the monitor.
        foreach (var node in Nodes.Where(n => n.Script is { HasExited: false }))
        {
            Thaw(node);
            node.Script!.Stop("TERM");
        }

        _monitor?.Stop("TERM");
        foreach (var node in Nodes.Where(n => n.Script is not null))
        {
            // A killed node's orphans (if any survived the postmaster) must not outlive the test.
            await KillTreeAsync(node);
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private const int SigStop = 19;
    private const int SigCont = 18;

    private static async Task KillTreeAsync(Node node)
    {
        if (node.Script is null)
        {
            return;
        }

        ProcessTree.Signal(node.Pid, Signals.Kill);

        // Backends forked just before notice their postmaster's death and exit by themselves.
        foreach (var pid in PostgresPidsUnder(node.Directory))
        {
            ProcessTree.Signal(pid, Signals.Kill);
        }

        await FreePorts.WaitClosedAsync(node.Port, TimeSpan.FromSeconds(10));
    }

    /// <summary>Processes whose command line names the node's directory (a postmaster reparented after its pg_autoctl died).</summary>
    private static IEnumerable<int> PostgresPidsUnder(string directory)
    {
        foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string cmdline;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }

            if (cmdline.Contains(directory + "/", StringComparison.Ordinal))
            {
                yield return pid;
            }
        }
    }

    private ServerProcess Run(string role, string directory, int port, params string[] more)
    {
        var log = Path.Combine(Directory, (role == "monitor" ? "monitor" : more[0]) + ".log");

        // bash execs the script, whose output goes to a file (pg_autoctl is chatty; the tail is what matters).
        var command = $"exec bash '{_script}' {role} '{directory}' {port} {string.Join(' ', more)} >> '{log}' 2>&1";
        return ServerProcess.Start("bash", ["-c", command], Directory, stopSignal: "TERM");
    }

    /// <summary>One PostgreSQL node of the formation.</summary>
    public sealed class Node(string name, int port, string directory)
    {
        public string Name { get; } = name;

        public int Port { get; } = port;

        public string Directory { get; } = directory;

        internal ServerProcess? Script { get; set; }

        /// <summary>The node's run-autoctl.sh process, the root of its process tree.</summary>
        public int Pid => Script?.Pid ?? throw new InvalidOperationException($"{Name} was never started");

        public override string ToString() => $"{Name} (127.0.0.1:{Port})";
    }

    /// <summary>A row of `pg_autoctl show state`: the node's reported and assigned (goal) state.</summary>
    public sealed record NodeState(string Name, int Port, string Reported, string Goal, string Lsn);
}
