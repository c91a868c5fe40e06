using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Scalegram.AppHost;

/// <summary>
/// The replicated topology's PostgreSQL store: a pg_auto_failover formation run by
/// deploy/postgres/run-autoctl.sh — a monitor on <see cref="Ports.PostgresMonitor"/> and three nodes on
/// <see cref="Ports.FirstPostgresNode"/>.. (the first to register is the primary; the others stream from it,
/// synchronous ANY 1), data under .topology/NAME/pg-*. The monitor fails over in seconds; the app finds the
/// writable node by a multi-host connection string and discovers which nodes are standbys by itself.
/// </summary>
public static class PostgresFormation
{
    private const string Database = "scalegram";

    /// <summary>The multi-host string the app writes through: whichever node is read-write now.</summary>
    public static string PrimaryConnectionString =>
        $"Host={string.Join(',', NodePorts.Select(p => $"127.0.0.1:{p}"))};Username=postgres;Database={Database};Target Session Attributes=read-write";

    /// <summary>One single-host string per node (all three: the app asks each for its role).</summary>
    public static IEnumerable<string> NodeConnectionStrings => NodePorts.Select(p => $"Host=127.0.0.1;Port={p};Username=postgres;Database={Database}");

    private static IEnumerable<int> NodePorts => Enumerable.Range(Ports.FirstPostgresNode, Ports.PostgresNodes);

    /// <summary>Adds the monitor and the nodes; each node is healthy once it listens and the formation has a writable primary.</summary>
    public static IReadOnlyList<IResourceBuilder<ExecutableResource>> Add(IDistributedApplicationBuilder builder, string root, string state)
    {
        var monitor = builder.AddExecutable("pg-monitor", "bash", root, "deploy/postgres/run-autoctl.sh", "monitor",
                Path.Combine(state, "pg-monitor"), Ports.PostgresMonitor.ToString())
            .WithHealthCheck(AddCheck(builder, "pg-monitor", Ports.PostgresMonitor, writable: false));
        var resources = new List<IResourceBuilder<ExecutableResource>> { monitor };
        foreach (var (port, i) in NodePorts.Select((p, i) => (p, i)))
        {
            var name = $"pg-node{i + 1}";
            var node = builder.AddExecutable(name, "bash", root, "deploy/postgres/run-autoctl.sh", "node",
                    Path.Combine(state, name), port.ToString(), $"node{i + 1}", Ports.PostgresMonitor.ToString(), Database)
                .WithHealthCheck(AddCheck(builder, name, port, writable: true))
                .WaitFor(monitor);

            // The first node registers alone, so it is the first primary; the others join it as standbys.
            if (i > 0)
            {
                node.WaitFor(resources[1]);
            }

            resources.Add(node);
        }

        return resources;
    }

    /// <summary>Healthy when the member accepts a query and, for nodes, when the formation has a writable primary.</summary>
    private static string AddCheck(IDistributedApplicationBuilder builder, string name, int port, bool writable)
    {
        var key = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(key, async ct =>
        {
            try
            {
                var database = writable ? Database : "pg_auto_failover";
                var user = writable ? "postgres" : "autoctl_node";
                await using (var own = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username={user};Database={database};Pooling=false;Timeout=3"))
                {
                    await own.OpenAsync(ct);
                }

                if (writable)
                {
                    await using var primary = new NpgsqlConnection($"{PrimaryConnectionString};Pooling=false;Timeout=3");
                    await primary.OpenAsync(ct);
                }

                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy(writable ? $"node 127.0.0.1:{port} or a writable primary not there yet" : $"monitor 127.0.0.1:{port} not ready yet", e);
            }
        });
        return key;
    }
}
