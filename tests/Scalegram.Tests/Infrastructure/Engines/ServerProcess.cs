using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Scalegram.Tests.Infrastructure.Engines;

/// <summary>Starts a real server binary as a child process, waits for its port, and stops it by PID.</summary>
public sealed class ServerProcess
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private ServerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What the server printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts a server; a small watchdog sends it <paramref name="stopSignal"/> if this test process
    /// dies before stopping it (a killed test host runs no exit handlers), so no server outlives the run.
    /// </summary>
    public static ServerProcess Start(string file, IEnumerable<string> args, string? workingDirectory = null, string? stopSignal = null)
    {
        var server = StartProcess(file, args, workingDirectory);
        if (stopSignal is not null)
        {
            var watch = $"while kill -0 {Environment.ProcessId} 2>/dev/null && kill -0 {server.Pid} 2>/dev/null; do sleep 1; done; kill -{stopSignal} {server.Pid} 2>/dev/null";
            using var watchdog = Process.Start(new ProcessStartInfo("bash", ["-c", watch]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true });
        }

        return server;
    }

    private static ServerProcess StartProcess(string file, IEnumerable<string> args, string? workingDirectory)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        try
        {
            return new ServerProcess(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}."));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start {file}: {e.Message}. Run tests/run.sh (it installs the Debian packages the tests need).", e);
        }
    }

    /// <summary>Runs a short command to completion; throws with its output if it fails.</summary>
    public static async Task RunAsync(string file, params string[] args)
    {
        var server = Start(file, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await server._process.WaitForExitAsync(timeout.Token);
        if (server._process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {server._process.ExitCode}:\n{server.Output}");
        }
    }

    /// <summary>Waits until the port accepts connections; fails with the server's output if it exits or the time runs out.</summary>
    public async Task WaitForPortAsync(int port, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{what} exited with {_process.ExitCode} before listening on 127.0.0.1:{port}:\n{Output}");
            }

            if (await PortOpenAsync(port))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not listen on 127.0.0.1:{port} within {timeout.TotalSeconds} s:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Sends a signal (TERM by default; INT is PostgreSQL's fast shutdown) and waits for the process to end.</summary>
    public void Stop(string signal = "TERM")
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit(5000);
        }

        if (!_process.WaitForExit(15000))
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
    }

    /// <summary>kill -9: the crash case.</summary>
    public void Crash()
    {
        _process.Kill();
        _process.WaitForExit(5000);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<bool> PortOpenAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 20_000)
            {
                _output.AppendLine(line);
            }
        }
    }
}
