using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Scalegram.Roles;

namespace Scalegram.Tests.Infrastructure;

/// <summary>
/// The real `scalegram` executable as a child process (`dotnet scalegram.dll serve --role ...`, the
/// dll beside the test assembly) on a free loopback port, so a test can kill -9 it or stop it with
/// SIGTERM. Its output is kept for failure messages. Arguments come in the same order as
/// <see cref="TestServer.StartAsync"/>: role, data directory, then extra settings.
/// Shared with Scalegram.SystemTests (linked into that project).
/// </summary>
public sealed class NodeProcess : IDisposable, IAsyncDisposable
{
    private const int OutputLimit = 500_000;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private bool _disposed;

    private NodeProcess(Process process, int port, NodeRole role)
    {
        _process = process;
        Pid = process.Id;
        Port = port;
        Role = role;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public NodeRole Role { get; }

    public int Port { get; }

    public int Pid { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote to stdout and stderr so far (the first 500,000 characters).</summary>
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

    /// <summary>Starts `scalegram serve` and waits until /healthz/ready answers 200; throws with the node's output if it exits or is not ready in 60 s.</summary>
    public static Task<NodeProcess> StartAsync(NodeRole role, string dataDir, params string[] settings) =>
        StartOnPortAsync(role, dataDir, FreePort(), settings);

    /// <summary>As <see cref="StartAsync"/>, on a given port: a restarted node comes back where its load balancer looks for it.</summary>
    public static Task<NodeProcess> StartOnPortAsync(NodeRole role, string dataDir, int port, params string[] settings) =>
        StartOnUrlsAsync(role, dataDir, port, $"http://127.0.0.1:{port}", settings);

    /// <summary>As <see cref="StartOnPortAsync"/>, listening on <paramref name="urls"/> (';'-separated; one must be 127.0.0.1:port, where readiness is probed).</summary>
    public static async Task<NodeProcess> StartOnUrlsAsync(NodeRole role, string dataDir, int port, string urls, params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        string[] args =
        [
            Path.Combine(AppContext.BaseDirectory, "scalegram.dll"), "serve",
            "--role", role.ToString().ToLowerInvariant(),
            "--urls", urls,
            "--data-dir", dataDir,
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Scalegram=Information",
            // No drain on SIGTERM unless a test asks for one (a later setting wins).
            "--Web:DrainDelay=00:00:00", "--LoadBalancing:DrainDelay=00:00:00",
            // Tests sign many users up and in from one address; the ones about limits set their own (a later setting wins).
            "--Web:SignUpsPerMinute=100000", "--Web:SignInsPerMinute=100000",
            .. settings,
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var node = new NodeProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), port, role);
        try
        {
            await node.WaitReadyAsync();
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    /// <summary>A client for this node: no cookies, no redirects followed, optionally carrying a bearer token.</summary>
    public HttpClient CreateClient(string? bearer = null)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>kill -9: no shutdown hooks, no acks, no flushing; only what was durably committed survives.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            Signal(Signals.Kill);
        }

        using var timeout = new CancellationTokenSource(ExitTimeout);
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>SIGTERM, the graceful stop (the host drains and runs its shutdown hooks); SIGKILL if it has not exited after 20 s.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        Signal(Signals.Term);
        using var timeout = new CancellationTokenSource(ExitTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    /// <summary>Stops the node gracefully if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await StopAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task WaitReadyAsync()
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The {Role} node exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                if ((await probe.GetAsync("/healthz/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The {Role} node was not ready within {ReadyTimeout.TotalSeconds} s:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    private void Signal(int signal)
    {
        try
        {
            Signals.Send(_process.Id, signal);
        }
        catch (InvalidOperationException) when (_process.HasExited)
        {
            // It exited between the check and the signal.
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
            if (_output.Length < OutputLimit)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
