using System.Diagnostics;
using System.Globalization;

namespace Scalegram.Tests.Infrastructure.Engines;

/// <summary>
/// OpenStack Swift all-in-one with the s3api middleware (Debian's swift packages): a real S3-compatible
/// object store on 127.0.0.1, started by deploy/swift/start.sh in a temp directory on five free ports
/// (proxy/S3 endpoint, account, container, object, memcached), stopped by the PIDs the script wrote.
/// One shared instance serves the run; tests that take the store down start their own.
/// </summary>
public sealed class SwiftServer
{
    public const string AccessKey = "test:tester";
    public const string SecretKey = "testing";

    private static readonly Lazy<Task<SwiftServer>> SharedServer = new(() => StartAsync());

    private SwiftServer(int port, string directory)
    {
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    public string Directory { get; }

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public static Task<SwiftServer> SharedAsync() => SharedServer.Value;

    public static async Task<SwiftServer> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "scalegram-swift-" + Guid.NewGuid().ToString("N")[..12]);
        var server = new SwiftServer(FreePortBlock(5), directory);
        await server.LaunchAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    /// <summary>Configuration arguments that make a node (or the CLI) use this store, in its own bucket.</summary>
    public string[] Settings(string bucket) =>
    [
        "--Storage:Engine=S3",
        $"--Storage:S3:ServiceUrl={ServiceUrl}",
        $"--Storage:S3:Bucket={bucket}",
        $"--Storage:S3:AccessKey={AccessKey}",
        $"--Storage:S3:SecretKey={SecretKey}",
    ];

    /// <summary>The store's options, for tests that build an S3BlobStore directly.</summary>
    internal Scalegram.Storage.S3Options Options(string bucket) => new()
    {
        ServiceUrl = ServiceUrl,
        Bucket = bucket,
        AccessKey = AccessKey,
        SecretKey = SecretKey,
    };

    /// <summary>kill -9 of every Swift process: the outage case.</summary>
    public void Crash()
    {
        foreach (var pid in Pids())
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(5000);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
    }

    /// <summary>Starts Swift again on the same ports and directory: the objects written before are still there.</summary>
    public async Task RestartAsync()
    {
        Crash();
        await LaunchAsync();
    }

    public void Stop()
    {
        Crash();
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

    private IEnumerable<int> Pids()
    {
        var file = Path.Combine(Directory, "pids");
        return File.Exists(file)
            ? File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToList()
            : [];
    }

    private async Task LaunchAsync()
    {
        await ServerProcess.RunAsync(Path.Combine(RepositoryRoot(), "deploy", "swift", "start.sh"), Directory, Port.ToString(CultureInfo.InvariantCulture));

        // When this test process ends without stopping Swift (a killed test host runs no exit handlers), a watchdog does, and removes its directory.
        var pids = string.Join(' ', Pids());
        var watch = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; kill -9 {pids} 2>/dev/null; rm -rf '{Directory}'";
        using var watchdog = Process.Start(new ProcessStartInfo("bash", ["-c", watch]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true });
    }

    /// <summary>A port whose next <paramref name="count"/> - 1 neighbours are free too (start.sh uses PORT..PORT+4).</summary>
    private static int FreePortBlock(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = ServerProcess.FreePort();
            if (port + count < 65535 && Enumerable.Range(port + 1, count - 1).All(IsFree))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"Found no {count} free consecutive loopback ports.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
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
}
