using System.Diagnostics;
using System.Text;

namespace Scalegram.SystemTests.Infrastructure;

/// <summary>
/// A Scalegram node as a real child process (`dotnet scalegram.dll serve --role ...`) on a free
/// loopback port, so a test can kill -9 it. Its output is kept for failure messages.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private bool _disposed;

    private NodeProcess(Process process, int port, string role)
    {
        _process = process;
        Pid = process.Id;
        Port = port;
        Role = role;
    }

    public int Port { get; }

    public string Role { get; }

    public int Pid { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

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

    /// <summary>Starts a node and waits until /healthz/ready answers 200.</summary>
    public static async Task<NodeProcess> StartAsync(string role, string dataDir, params string[] settings)
    {
        var port = FreePorts.Next();
        var dll = Path.Combine(AppContext.BaseDirectory, "scalegram.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            dll, "serve", "--role", role, "--urls", $"http://127.0.0.1:{port}", "--data-dir", dataDir,
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Scalegram=Information",
            .. settings,
        ];
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var node = new NodeProcess(Process.Start(start)!, port, role);
        node._process.OutputDataReceived += (_, e) => node.Append(e.Data);
        node._process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        await node.WaitReadyAsync(TimeSpan.FromSeconds(60));
        return node;
    }

    public HttpClient CreateClient() => new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    /// <summary>kill -9: no shutdown hooks, no acks, no flushing — a crash.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            Signals.Send(_process.Id, Signals.Kill);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            Signals.Send(_process.Id, Signals.Term);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The {Role} node exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                if ((await client.GetAsync("/healthz/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The {Role} node was not ready within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 500_000)
            {
                _output.AppendLine(line);
            }
        }
    }
}
