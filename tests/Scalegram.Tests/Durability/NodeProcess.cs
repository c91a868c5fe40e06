using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Scalegram.Tests.Durability;

/// <summary>The real `scalegram` executable as a child process on a free loopback port, killable with SIGKILL.</summary>
public sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private NodeProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

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

    /// <summary>Starts `dotnet scalegram.dll serve` (the dll beside the test assembly) and waits until /healthz/ready answers.</summary>
    public static async Task<NodeProcess> StartAsync(string dataDir, string role, params string[] settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "scalegram.dll"), "serve", "--urls", $"http://127.0.0.1:{port}", "--data-dir", dataDir, "--role", role, "--Logging:LogLevel:Default=Warning", .. settings])
        {
            start.ArgumentList.Add(arg);
        }

        var node = new NodeProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
        using var probe = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(node._process.HasExited, $"scalegram exited at start-up:\n{node.Output}");
            try
            {
                if ((await probe.GetAsync("/healthz/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, $"scalegram did not become ready in 60 s:\n{node.Output}");
            await Task.Delay(100);
        }
    }

    public HttpClient CreateClient(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; only what was durably committed survives.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        Assert.True(_process.WaitForExit(10_000), "the killed process did not exit");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
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
