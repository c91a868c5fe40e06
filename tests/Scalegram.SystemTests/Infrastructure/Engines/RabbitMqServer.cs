using System.Diagnostics;
using System.Text;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.SystemTests.Infrastructure.Engines;

/// <summary>
/// Debian's rabbitmq-server on free loopback ports, in a temp directory with its own HOME (Erlang
/// cookie), Mnesia and log directories, and its own epmd (started with -start_epmd false, so the
/// shared default epmd port is never touched). Stop/Start keep the data: a restart is a real
/// broker restart. Throws with the broker's output when it cannot start: tests never silently skip.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private const string ServerBinary = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly StringBuilder _output = new();
    private readonly int _distPort = FreePorts.Next();
    private readonly int _epmdPort = FreePorts.Next();
    private Process? _server;
    private Process? _epmd;

    private RabbitMqServer(string directory)
    {
        Directory = directory;
        AmqpPort = FreePorts.Next();
    }

    public string Directory { get; }

    public int AmqpPort { get; }

    public string Uri => $"amqp://guest:guest@127.0.0.1:{AmqpPort}/";

    public string NodeName => $"scalegram-test-{AmqpPort}@localhost";

    public static async Task<RabbitMqServer> StartAsync()
    {
        if (!File.Exists(ServerBinary))
        {
            throw new InvalidOperationException($"{ServerBinary} is missing: install Debian's rabbitmq-server package (tests/run.sh does).");
        }

        var server = new RabbitMqServer(Path.Combine(Path.GetTempPath(), "scalegram-rabbitmq-" + Guid.NewGuid().ToString("N")[..12]));
        foreach (var sub in new[] { "home", "mnesia", "log" })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(server.Directory, sub));
        }

        await File.WriteAllTextAsync(Path.Combine(server.Directory, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{server.AmqpPort}
            loopback_users.guest = true
            log.console = true
            log.console.level = warning
            disk_free_limit.absolute = 50MB
            """);
        await File.WriteAllTextAsync(Path.Combine(server.Directory, "enabled_plugins"), "[].");
        await server.StartAsync(fresh: true);
        return server;
    }

    /// <summary>Starts the broker again on the same ports and data (after <see cref="StopAsync"/>).</summary>
    public Task RestartAsync() => StartAsync(fresh: false);

    /// <summary>Stops the broker with SIGTERM (a clean shutdown), waits for its port to close; the data stays.</summary>
    public async Task StopAsync()
    {
        if (_server is { HasExited: false } server)
        {
            // SIGTERM: the start script stops the Erlang VM cleanly (SIGKILL would orphan it).
            Signals.Send(server.Id, Signals.Term);
        }

        await WaitExitAsync(_server);
        _server = null;
        if (!await FreePorts.WaitClosedAsync(AmqpPort, TimeSpan.FromSeconds(15)))
        {
            throw new InvalidOperationException($"RabbitMQ still listens on {AmqpPort} after being stopped.");
        }
    }

    /// <summary>Runs rabbitmqctl against this node (same HOME, so the same Erlang cookie) and returns its output.</summary>
    public async Task<string> CtlAsync(params string[] args)
    {
        var start = Start("/usr/lib/rabbitmq/bin/rabbitmqctl", ["-n", NodeName, .. args]);
        using var ctl = Process.Start(start)!;
        var stdout = ctl.StandardOutput.ReadToEndAsync();
        var stderr = ctl.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await ctl.WaitForExitAsync(timeout.Token);
        if (ctl.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed ({ctl.ExitCode}): {await stderr}");
        }

        return await stdout;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            if (_epmd is { HasExited: false } epmd)
            {
                epmd.Kill();
                await WaitExitAsync(epmd);
            }

            _epmd?.Dispose();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task StartAsync(bool fresh)
    {
        if (_epmd is null || _epmd.HasExited)
        {
            // epmd in the foreground (no -daemon), so it is our child and we stop it by PID.
            _epmd = Process.Start(Start("epmd", ["-port", _epmdPort.ToString(), "-address", "127.0.0.1"]))!;
            Drain(_epmd);
            if (!await FreePorts.WaitOpenAsync(_epmdPort, TimeSpan.FromSeconds(10), () => _epmd.HasExited))
            {
                throw new InvalidOperationException($"epmd did not start on port {_epmdPort}.");
            }
        }

        var started = Stopwatch.StartNew();
        _server = Process.Start(Start(ServerBinary, []))!;
        Drain(_server);
        if (!await FreePorts.WaitOpenAsync(AmqpPort, StartTimeout, () => _server.HasExited))
        {
            string output;
            lock (_output)
            {
                output = _output.ToString();
            }

            throw new InvalidOperationException($"RabbitMQ did not accept connections on 127.0.0.1:{AmqpPort} within {StartTimeout.TotalSeconds} s (fresh: {fresh}). Output:\n{output}");
        }

        StartupTime = started.Elapsed;
    }

    /// <summary>How long the last start took until the AMQP port accepted connections.</summary>
    public TimeSpan StartupTime { get; private set; }

    private ProcessStartInfo Start(string file, string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var env = start.Environment;
        env["HOME"] = Path.Combine(Directory, "home");
        env["RABBITMQ_NODENAME"] = NodeName;
        env["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        env["RABBITMQ_NODE_PORT"] = AmqpPort.ToString();
        env["RABBITMQ_DIST_PORT"] = _distPort.ToString();
        env["ERL_EPMD_PORT"] = _epmdPort.ToString();
        env["ERL_EPMD_ADDRESS"] = "127.0.0.1";
        env["RABBITMQ_CTL_DIST_PORT_MIN"] = (_distPort + 1).ToString();
        env["RABBITMQ_CTL_DIST_PORT_MAX"] = (_distPort + 10).ToString();
        env["RABBITMQ_MNESIA_BASE"] = Path.Combine(Directory, "mnesia");
        env["RABBITMQ_LOG_BASE"] = Path.Combine(Directory, "log");
        env["RABBITMQ_LOGS"] = "-";
        env["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(Directory, "enabled_plugins");
        env["RABBITMQ_CONFIG_FILE"] = Path.Combine(Directory, "rabbitmq.conf");
        env["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-start_epmd false";
        return start;
    }

    private void Drain(Process process)
    {
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 200_000)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static async Task WaitExitAsync(Process? process)
    {
        if (process is null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        process.Dispose();
    }
}
