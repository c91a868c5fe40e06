using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Scalegram.AppHost;

/// <summary>
/// Debian's servers as executable resources (no container runtime needed), each on its fixed
/// loopback port, keeping its data under .topology/NAME/, healthy once its port accepts connections.
/// </summary>
public static class Engines
{
    public static IResourceBuilder<ExecutableResource> AddPostgresServer(this IDistributedApplicationBuilder builder, string root, string state) =>
        builder.AddExecutable("postgres", "bash", root, "deploy/postgres/run-postgres.sh", Path.Combine(state, "postgres"), Ports.Postgres.ToString())
            .WithPortCheck(builder, "postgres", Ports.Postgres);

    public static IResourceBuilder<ExecutableResource> AddRedisServer(this IDistributedApplicationBuilder builder, string root, string state)
    {
        return builder.AddExecutable("redis", "redis-server", root, RedisConfigCopy(root, Path.Combine(state, "redis")),
                "--port", Ports.Redis.ToString(), "--dir", Path.Combine(state, "redis"))
            .WithPortCheck(builder, "redis", Ports.Redis);
    }

    /// <summary>
    /// The cache Redis with high availability: a replica of <see cref="AddRedisServer"/> and three sentinels
    /// (quorum 2, down after 1 s) that promote it when the primary dies; nodes connect through the sentinels
    /// (Redis:Sentinels, Redis:ServiceName), so they follow the failover by themselves.
    /// </summary>
    public static IEnumerable<IResourceBuilder<ExecutableResource>> AddRedisSentinels(this IDistributedApplicationBuilder builder, string root, string state)
    {
        yield return builder.AddExecutable("redis-replica", "redis-server", root, RedisConfigCopy(root, Path.Combine(state, "redis-replica")),
                "--port", Ports.RedisReplica.ToString(), "--dir", Path.Combine(state, "redis-replica"), "--replicaof", "127.0.0.1", Ports.Redis.ToString())
            .WithPortCheck(builder, "redis-replica", Ports.RedisReplica);
        for (var i = 0; i < Ports.Sentinels; i++)
        {
            var port = Ports.FirstSentinel + i;
            yield return builder.AddExecutable($"sentinel{i}", "bash", root, "deploy/redis/run-sentinel.sh",
                    Path.Combine(state, $"sentinel{i}"), port.ToString(), Ports.Redis.ToString(), SentinelService)
                .WithPortCheck(builder, $"sentinel{i}", port);
        }
    }

    /// <summary>
    /// Each server gets its own copy of deploy/redis/redis.conf: a failover makes the sentinels send CONFIG
    /// REWRITE, which would otherwise write the server's runtime settings into the checked-in file.
    /// </summary>
    private static string RedisConfigCopy(string root, string dir)
    {
        Directory.CreateDirectory(dir);
        var copy = Path.Combine(dir, "redis.conf");
        File.Copy(Path.Combine(root, "deploy/redis/redis.conf"), copy, overwrite: true);
        return copy;
    }

    /// <summary>The name the sentinels monitor the cache Redis primary under (Redis:ServiceName).</summary>
    public const string SentinelService = "scalegram";

    public static IResourceBuilder<ExecutableResource> AddRabbitMqServer(this IDistributedApplicationBuilder builder, string root, string state) =>
        builder.AddExecutable("rabbitmq", "bash", root, "deploy/rabbitmq/run-rabbitmq.sh", Path.Combine(state, "rabbitmq"),
                Ports.RabbitMqAmqp.ToString(), Ports.RabbitMqDist.ToString(), Ports.RabbitMqEpmd.ToString())
            .WithPortCheck(builder, "rabbitmq", Ports.RabbitMqAmqp);

    /// <summary>
    /// Swift all-in-one with s3api (deploy/swift/start.sh starts its servers in the background and returns once
    /// they answer): this wrapper stays in the foreground for Aspire and stops them (stop.sh) when it is stopped.
    /// </summary>
    public static IResourceBuilder<ExecutableResource> AddSwiftServer(this IDistributedApplicationBuilder builder, string root, string state) =>
        builder.AddExecutable("swift", "bash", root, "-c",
                "trap 'deploy/swift/stop.sh \"$0\"; exit 0' TERM INT; deploy/swift/start.sh \"$0\" \"$1\" || exit 1; while :; do sleep 5 & wait $!; done",
                Path.Combine(state, "swift"), Ports.SwiftS3.ToString())
            .WithPortCheck(builder, "swift", Ports.SwiftS3);

    /// <summary>
    /// The Varnish edge in front of the entry point (deploy/varnish/run-varnish.sh, varnishd -F). varnishd's worker
    /// runs as the vcache user, which must be able to read its working directory: it is made world-readable.
    /// </summary>
    public static IResourceBuilder<ExecutableResource> AddVarnishEdge(this IDistributedApplicationBuilder builder, string root, string state)
    {
        var work = Path.Combine(state, "varnish");
        Directory.CreateDirectory(work);
        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        for (var dir = work; !OperatingSystem.IsWindows() && dir is not null && dir.StartsWith(root, StringComparison.Ordinal) && dir != root; dir = Path.GetDirectoryName(dir))
        {
            File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | readable);
        }

        return builder.AddExecutable("edge", "bash", root, "deploy/varnish/run-varnish.sh", work,
                Ports.Edge.ToString(), Ports.EdgeAdmin.ToString(), "127.0.0.1", Ports.Entry.ToString())
            .WithPortCheck(builder, "edge", Ports.Edge);
    }

    /// <summary>Prometheus on its fixed port, its TSDB under the topology's state, scraping what the topology started.</summary>
    public static IResourceBuilder<ExecutableResource> AddPrometheusServer(this IDistributedApplicationBuilder builder, string root, string state, string config)
    {
        Directory.CreateDirectory(Path.Combine(state, "prometheus"));
        return builder.AddExecutable("prometheus", "prometheus", root,
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(state, "prometheus")}",
                $"--web.listen-address=127.0.0.1:{Ports.Prometheus}", "--log.level=warn")
            .WithPortCheck(builder, "prometheus", Ports.Prometheus);
    }

    /// <summary>Healthy once something accepts TCP connections on the port (the engines' "ready" signal).</summary>
    private static IResourceBuilder<ExecutableResource> WithPortCheck(this IResourceBuilder<ExecutableResource> resource, IDistributedApplicationBuilder builder, string name, int port)
    {
        var key = $"{name}-port";
        builder.Services.AddHealthChecks().AddAsyncCheck(key, async ct =>
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port, ct);
                return HealthCheckResult.Healthy();
            }
            catch (SocketException e)
            {
                return HealthCheckResult.Unhealthy($"127.0.0.1:{port} does not accept connections yet", e);
            }
        });
        return resource.WithHealthCheck(key);
    }
}
