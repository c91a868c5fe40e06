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
        Directory.CreateDirectory(Path.Combine(state, "redis"));
        return builder.AddExecutable("redis", "redis-server", root, "deploy/redis/redis.conf",
                "--port", Ports.Redis.ToString(), "--dir", Path.Combine(state, "redis"))
            .WithPortCheck(builder, "redis", Ports.Redis);
    }

    public static IResourceBuilder<ExecutableResource> AddRabbitMqServer(this IDistributedApplicationBuilder builder, string root, string state) =>
        builder.AddExecutable("rabbitmq", "bash", root, "deploy/rabbitmq/run-rabbitmq.sh", Path.Combine(state, "rabbitmq"),
                Ports.RabbitMqAmqp.ToString(), Ports.RabbitMqDist.ToString(), Ports.RabbitMqEpmd.ToString())
            .WithPortCheck(builder, "rabbitmq", Ports.RabbitMqAmqp);

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
