using System.Globalization;

namespace Scalegram.Tests.Infrastructure.Engines;

/// <summary>
/// A cache Redis with high availability as the topologies run it: a primary, one replica and three sentinels
/// (quorum 2, down after 1 s; deploy/redis/sentinel.conf.template), all on free loopback ports in a temp dir.
/// </summary>
public sealed class RedisSentinels
{
    public const string ServiceName = "drill";

    private readonly List<ServerProcess> _sentinels = [];
    private readonly string _directory;

    private RedisSentinels(string directory) => _directory = directory;

    public ServerProcess Primary { get; private set; } = null!;

    public ServerProcess Replica { get; private set; } = null!;

    public int PrimaryPort { get; private set; }

    public int ReplicaPort { get; private set; }

    public IReadOnlyList<int> SentinelPorts { get; private set; } = [];

    /// <summary>Settings that put a node on these sentinels.</summary>
    public string[] Settings =>
        ["--Caching:Engine=Redis", $"--Redis:Sentinels={string.Join(',', SentinelPorts.Select(p => $"127.0.0.1:{p}"))}", $"--Redis:ServiceName={ServiceName}"];

    public static async Task<RedisSentinels> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "scalegram-sentinels-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var set = new RedisSentinels(directory) { PrimaryPort = ServerProcess.FreePort(), ReplicaPort = ServerProcess.FreePort() };
        set.Primary = await LaunchRedisAsync(set.PrimaryPort, Path.Combine(directory, "primary"), replicaOf: null);
        set.Replica = await LaunchRedisAsync(set.ReplicaPort, Path.Combine(directory, "replica"), replicaOf: set.PrimaryPort);
        var ports = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var port = ServerProcess.FreePort();
            var dir = Path.Combine(directory, $"sentinel{i}");
            Directory.CreateDirectory(dir);
            var config = Path.Combine(dir, "sentinel.conf");
            await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
                bind 127.0.0.1
                port {port}
                dir {dir}
                sentinel monitor {ServiceName} 127.0.0.1 {set.PrimaryPort} 2
                sentinel down-after-milliseconds {ServiceName} 1000
                sentinel failover-timeout {ServiceName} 10000
                sentinel parallel-syncs {ServiceName} 1

                """));
            var sentinel = ServerProcess.Start("redis-server", [config, "--sentinel"], stopSignal: "TERM");
            await sentinel.WaitForPortAsync(port, "redis-sentinel", TimeSpan.FromSeconds(30));
            set._sentinels.Add(sentinel);
            ports.Add(port);
        }

        set.SentinelPorts = ports;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => set.Stop();
        return set;
    }

    public void Stop()
    {
        foreach (var process in _sentinels.Append(Primary).Append(Replica))
        {
            process.Stop();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<ServerProcess> LaunchRedisAsync(int port, string directory, int? replicaOf)
    {
        Directory.CreateDirectory(directory);
        string[] replica = replicaOf is { } of ? ["--replicaof", "127.0.0.1", of.ToString(CultureInfo.InvariantCulture)] : [];

        // The shipped settings (allkeys-lfu, diskless sync), from a copy as the AppHost does: the failover's
        // CONFIG REWRITE writes into the copy.
        var config = Path.Combine(directory, "redis.conf");
        File.Copy(Infrastructure.RepositoryPaths.Deploy("redis/redis.conf"), config, overwrite: true);
        var process = ServerProcess.Start("redis-server", [
            config, "--port", port.ToString(CultureInfo.InvariantCulture), "--dir", directory, "--daemonize", "no", "--maxmemory", "128mb",
            .. replica], stopSignal: "TERM");
        await process.WaitForPortAsync(port, "redis-server", TimeSpan.FromSeconds(30));
        return process;
    }
}
