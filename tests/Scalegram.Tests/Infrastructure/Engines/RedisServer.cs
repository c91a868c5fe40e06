namespace Scalegram.Tests.Infrastructure.Engines;

/// <summary>
/// Debian's redis-server as a cache (no persistence) on 127.0.0.1 and a free port. One shared
/// instance serves the whole test run; tests that stop Redis start their own with <see cref="StartAsync"/>.
/// </summary>
public sealed class RedisServer
{
    private static readonly Lazy<Task<RedisServer>> SharedServer = new(() => StartAsync());
    private ServerProcess _process;

    private RedisServer(ServerProcess process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    public string Directory { get; }

    /// <summary>The value for Redis:Configuration.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static Task<RedisServer> SharedAsync() => SharedServer.Value;

    public static async Task<RedisServer> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "scalegram-redis-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var port = ServerProcess.FreePort();
        var server = new RedisServer(await LaunchAsync(port, directory), port, directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    /// <summary>kill -9 of the server: the outage case.</summary>
    public void Crash() => _process.Crash();

    /// <summary>Starts Redis again on the same port (empty: it keeps nothing on disk).</summary>
    public async Task RestartAsync()
    {
        _process.Stop();
        _process = await LaunchAsync(Port, Directory);
    }

    public void Stop()
    {
        _process.Stop();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<ServerProcess> LaunchAsync(int port, string directory)
    {
        var process = ServerProcess.Start("redis-server", [
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", directory, "--daemonize", "no",
            "--maxmemory", "128mb", "--maxmemory-policy", "allkeys-lru"], stopSignal: "TERM");
        await process.WaitForPortAsync(port, "redis-server", TimeSpan.FromSeconds(30));
        return process;
    }
}
