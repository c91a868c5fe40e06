using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Scalegram.Data;
using Scalegram.Data.Replication;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Replication;

/// <summary>
/// A Scalegram node on a fresh database of a PostgreSQL primary of the replication tests' own (the shared test
/// server holds every other test's databases, which a base backup would copy), with one streaming replica,
/// optionally delayed on purpose. Ready once the replica has replayed the migrations and the node's monitor
/// has seen it as a standby.
/// </summary>
internal sealed class ReplicatedNode : IAsyncDisposable
{
    private static readonly Lazy<Task<PostgresServer>> SharedPrimary = new(PostgresServer.StartNewAsync);
    private readonly List<TestServer> _servers = [];

    private ReplicatedNode(PostgresServer primary, PostgresReplica replica, string database, string[] settings)
    {
        Primary = primary;
        Replica = replica;
        Database = database;
        Settings = settings;
    }

    public PostgresServer Primary { get; }

    public PostgresReplica Replica { get; }

    public string Database { get; }

    /// <summary>The settings every node of this set starts with.</summary>
    public string[] Settings { get; }

    /// <summary>The first node.</summary>
    public TestServer Server => _servers[0];

    public static Task<PostgresServer> PrimaryAsync() => SharedPrimary.Value;

    /// <summary>Starts the primary database, the replica (delayed by <paramref name="applyDelay"/>) and one node.</summary>
    public static async Task<ReplicatedNode> StartAsync(TimeSpan applyDelay, TimeSpan maxReplicaLag, params string[] settings)
    {
        var primary = await PrimaryAsync();
        var connectionString = await primary.CreateDatabaseAsync("repl");
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        var replica = await PostgresReplica.StartAsync(primary, applyDelay);
        string[] all =
        [
            "--Data:Engine=Postgres",
            $"--Data:Postgres:Stores:0:Primary={connectionString}",
            $"--Data:Postgres:Stores:0:Replicas:0={replica.ConnectionString(database)}",
            $"--Data:Postgres:MaxReplicaLag={maxReplicaLag:c}",
            "--Data:Postgres:ReplicaPollInterval=00:00:00.200",
            .. settings,
        ];
        var node = new ReplicatedNode(primary, replica, database, all);
        await node.StartNodeAsync();
        await replica.CatchUpAsync(applyDelay + TimeSpan.FromSeconds(60));
        await node.WaitForStandbyAsync(node.Server);
        return node;
    }

    /// <summary>Another node on the same databases (and the same extra settings, e.g. a shared Redis).</summary>
    public async Task<TestServer> StartNodeAsync(params string[] extra)
    {
        var server = await TestServer.StartAsync(NodeRole.All, dataDir: null, [.. Settings, .. extra]);
        _servers.Add(server);
        return server;
    }

    /// <summary>Waits (bounded) until <paramref name="server"/>'s monitor has seen the replica as a standby.</summary>
    public async Task WaitForStandbyAsync(TestServer server)
    {
        var node = ReplicaOf(server);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (node.State.Role != ReplicaRole.Standby)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The monitor did not see the replica as a standby (role {node.State.Role}).");
            await Task.Delay(50);
        }
    }

    /// <summary>The replica node as <paramref name="server"/>'s read router sees it.</summary>
    public static ReplicaNode ReplicaOf(TestServer server) =>
        server.Services.GetRequiredService<Database>().Stores[0].Replicas!.Nodes[0];

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        await Replica.DisposeAsync();
    }
}
