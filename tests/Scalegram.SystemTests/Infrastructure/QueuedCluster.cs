using Scalegram.Roles;
using Scalegram.SystemTests.Infrastructure.Engines;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.SystemTests.Infrastructure;

/// <summary>
/// A real RabbitMQ plus web and worker nodes as child processes sharing one data directory (SQLite
/// in WAL mode serves several processes): the `queued` topology, small enough to kill parts of.
/// </summary>
public sealed class QueuedCluster : IAsyncDisposable
{
    private readonly List<NodeProcess> _nodes = [];

    private readonly Xunit.Abstractions.ITestOutputHelper? _log;

    private QueuedCluster(RabbitMqServer broker, string dataDir, Xunit.Abstractions.ITestOutputHelper? log)
    {
        _log = log;
        Broker = broker;
        DataDir = dataDir;
        Store = new StoreFile(dataDir);
    }

    public RabbitMqServer Broker { get; }

    public string DataDir { get; }

    public StoreFile Store { get; }

    /// <summary>Starts the broker; with <paramref name="log"/>, every node's output is written to the test output when the cluster stops.</summary>
    public static async Task<QueuedCluster> StartAsync(Xunit.Abstractions.ITestOutputHelper? log = null)
    {
        var broker = await RabbitMqServer.StartAsync();
        log?.WriteLine($"RabbitMQ accepted connections {broker.StartupTime.TotalSeconds:F1} s after start");
        return new QueuedCluster(broker, Path.Combine(Path.GetTempPath(), "scalegram-queued-" + Guid.NewGuid().ToString("N")[..12]), log);
    }

    /// <summary>Starts a node (<see cref="NodeRole.Web"/> or <see cref="NodeRole.Worker"/>) on the broker; short leases and delays so drills finish quickly.</summary>
    public async Task<NodeProcess> StartNodeAsync(NodeRole role, params string[] settings)
    {
        var node = await NodeProcess.StartAsync(role, DataDir,
        [
            "--Messaging:Engine=RabbitMq",
            $"--Messaging:RabbitMq:Uri={Broker.Uri}",
            "--Messaging:RabbitMq:ReconnectInterval=00:00:00.500",
            "--Messaging:PollInterval=00:00:00.100",
            "--Messaging:RetryBaseDelay=00:00:00.200",
            "--Messaging:Lease=00:00:02",

            // Separate processes without Redis: a per-process cache would serve a photo's
            // 'processing' status after the worker made it ready. (Redis invalidates across nodes.)
            "--Caching:Disabled=true",
            .. settings,
        ]);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Runs a `scalegram` command against this cluster's broker and data; returns its output, throws on a non-zero exit.</summary>
    public async Task<string> RunCliAsync(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "scalegram.dll"), .. args, "--data-dir", DataDir,
            "--Messaging:Engine=RabbitMq", $"--Messaging:RabbitMq:Uri={Broker.Uri}", "--Logging:LogLevel:Default=Warning"])
        {
            start.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scalegram {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
        }

        return await stdout;
    }

    /// <summary>Queue name → (ready, unacknowledged) as the broker reports them.</summary>
    public async Task<Dictionary<string, (long Ready, long Unacked)>> QueuesAsync()
    {
        var text = await Broker.CtlAsync("list_queues", "-q", "--no-table-headers", "name", "messages_ready", "messages_unacknowledged");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('\t', ' '))
            .Where(p => p.Length >= 3 && long.TryParse(p[^2], out _))
            .ToDictionary(p => p[0], p => (long.Parse(p[^2]), long.Parse(p[^1])));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var node in _nodes)
            {
                await node.DisposeAsync();
                var text = node.Output;
                _log?.WriteLine($"--- {node.Role} node {node.Pid} output (last 6000 chars) ---\n{(text.Length > 6000 ? text[^6000..] : text)}");
            }
        }
        finally
        {
            // Whatever happened to the nodes, the broker and its epmd must not outlive the test.
            await Broker.DisposeAsync();
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
