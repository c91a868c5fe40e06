using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Scalegram.Storage;

namespace Scalegram.Benchmarks;

/// <summary>A Swift S3 server for one benchmark (deploy/swift/start.sh in a temp directory on free ports), stopped by PID.</summary>
internal sealed class BenchSwift : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "scalegram-bench-swift-" + Guid.NewGuid().ToString("N")[..12]);

    public BenchSwift()
    {
        Port = FreePortBlock();
        Run("start.sh", _dir, Port.ToString(CultureInfo.InvariantCulture));
    }

    public int Port { get; }

    public S3Options Options(string bucket) =>
        new() { ServiceUrl = $"http://127.0.0.1:{Port}", Bucket = bucket, AccessKey = "test:tester", SecretKey = "testing" };

    public string[] Settings(string bucket) =>
    [
        "--Storage:Engine=S3", $"--Storage:S3:ServiceUrl=http://127.0.0.1:{Port}", $"--Storage:S3:Bucket={bucket}",
        "--Storage:S3:AccessKey=test:tester", "--Storage:S3:SecretKey=testing",
    ];

    public void Dispose()
    {
        Run("stop.sh", _dir);
        Directory.Delete(_dir, recursive: true);
    }

    private static void Run(string script, params string[] args)
    {
        var path = Path.Combine(RepositoryRoot(), "deploy", "swift", script);
        using var process = Process.Start(new ProcessStartInfo(path, args) { UseShellExecute = false }) ?? throw new InvalidOperationException(path);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{path} exited with {process.ExitCode}");
        }
    }

    /// <summary>A free port whose next four are free too (start.sh uses PORT..PORT+4).</summary>
    private static int FreePortBlock()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (Enumerable.Range(port + 1, 4).All(IsFree) || attempt > 50)
            {
                return port;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
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
