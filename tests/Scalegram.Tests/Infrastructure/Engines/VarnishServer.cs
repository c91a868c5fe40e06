using System.Globalization;
using Scalegram.Cdn;

namespace Scalegram.Tests.Infrastructure.Engines;

/// <summary>
/// Debian's varnishd running deploy/varnish/scalegram.vcl.template in front of an origin, on free
/// loopback ports in a temporary directory; stopped by PID. Restarting keeps its ports (and, like
/// any malloc-backed Varnish, loses its cache).
/// </summary>
public sealed class VarnishServer : IAsyncDisposable
{
    private readonly string _vcl;
    private ServerProcess? _process;

    private VarnishServer(string directory, int port, int adminPort, string vcl)
    {
        Directory = directory;
        Port = port;
        AdminPort = adminPort;
        _vcl = vcl;
    }

    /// <summary>The temporary directory; <see cref="WorkDirectory"/> (varnishd -n) is inside it.</summary>
    public string Directory { get; }

    /// <summary>varnishd -n: where varnishstat and varnishadm find this instance.</summary>
    public string WorkDirectory => Path.Combine(Directory, "n");

    public int Port { get; }

    /// <summary>The management port (varnishd -T).</summary>
    public int AdminPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Starts an edge in front of 127.0.0.1:<paramref name="originPort"/> with the repository's VCL.</summary>
    public static async Task<VarnishServer> StartAsync(int originPort, string mediaTtl = "365d", string grace = "24h", string probeInterval = "200ms", int? port = null)
    {
        var text = Render(new Dictionary<string, string>
        {
            ["ORIGIN_HOST"] = "127.0.0.1",
            ["ORIGIN_PORT"] = originPort.ToString(CultureInfo.InvariantCulture),
            ["MEDIA_TTL"] = mediaTtl,
            ["GRACE"] = grace,
            ["PROBE_INTERVAL"] = probeInterval,
            ["PURGE_ACL"] = "",
        });
        var directory = Path.Combine(Path.GetTempPath(), "scalegram-varnish-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var vcl = Path.Combine(directory, "scalegram.vcl");
        await File.WriteAllTextAsync(vcl, text);
        var server = new VarnishServer(directory, port ?? ServerProcess.FreePort(), ServerProcess.FreePort(), vcl);
        await server.LaunchAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    /// <summary>The VCL template with its {{NAME}} placeholders filled in; throws if one is left.</summary>
    public static string Render(IReadOnlyDictionary<string, string> values)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "varnish", "scalegram.vcl.template"));
        foreach (var (name, value) in values)
        {
            text = text.Replace("{{" + name + "}}", value, StringComparison.Ordinal);
        }

        return text.Contains("{{", StringComparison.Ordinal) ? throw new InvalidOperationException("A VCL placeholder was left unfilled.") : text;
    }

    /// <summary>The edge's counters now (varnishstat).</summary>
    internal Task<EdgeCounters> CountersAsync() => EdgeStats.ReadAsync(WorkDirectory, CancellationToken.None);

    /// <summary>One counter by name (e.g. MAIN.busy_sleep), from varnishstat -1.</summary>
    public async Task<long> CounterAsync(string name)
    {
        var output = await OutputOfAsync("varnishstat", "-1", "-n", WorkDirectory, "-f", name);
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    /// <summary>Stops varnishd (TERM to its manager, which stops the child); the port refuses connections afterwards.</summary>
    public void Stop() => _process?.Stop();

    /// <summary>Starts it again on the same ports, empty.</summary>
    public Task RestartAsync()
    {
        Stop();
        return LaunchAsync();
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private static async Task<string> OutputOfAsync(string file, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await stdout : throw new InvalidOperationException($"{file} exited with {process.ExitCode}: {await stderr}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Scalegram.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Scalegram.slnx not found above " + AppContext.BaseDirectory);
    }

    private async Task LaunchAsync()
    {
        _process = ServerProcess.Start("varnishd", [
            "-F", "-n", WorkDirectory,
            "-a", $"127.0.0.1:{Port}", "-T", $"127.0.0.1:{AdminPort}",
            "-f", _vcl, "-s", "malloc,64m", "-P", Path.Combine(Directory, "varnishd.pid"),
            // Short timeouts keep a stopped origin from holding a test for the defaults' minutes.
            "-p", "connect_timeout=1", "-p", "ban_lurker_sleep=0.1"], stopSignal: "TERM");
        await _process.WaitForPortAsync(Port, "varnishd", TimeSpan.FromSeconds(60));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "/healthz/edge"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"varnishd did not answer /healthz/edge:\n{_process.Output}");
            }

            await Task.Delay(50);
        }
    }
}
