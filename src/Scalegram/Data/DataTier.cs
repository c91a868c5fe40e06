using Dapper;
using Microsoft.Extensions.Options;
using Scalegram.Data.Ids;
using Scalegram.Data.Migrations;
using Scalegram.Data.Postgres;
using Scalegram.Data.Replication;
using Scalegram.Data.Sharding;
using Scalegram.Data.Sqlite;
using Scalegram.Observability;

namespace Scalegram.Data;

/// <summary>Registers the database tier: the physical stores, the shard map over them, IDs (and the node lease they are minted under) and migrations.</summary>
internal static class DataTier
{
    public static IServiceCollection AddDataTier(this IServiceCollection services, IConfiguration configuration)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        services.AddOptions<DataOptions>().Bind(configuration.GetSection(DataOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IdGenerator>();
        services.AddSingleton<NodeLeaseStore>();
        services.AddSingleton<NodeLeaseKeeper>();
        services.AddSingleton(sp => Create(sp.GetRequiredService<IOptions<DataOptions>>().Value, sp.GetRequiredService<ScalegramMetrics>()));
        services.AddSingleton<Migrator>();
        services.AddHostedService<MigrateOnStart>();

        // After the migrations (the node_leases table), before anything that mints.
        services.AddHostedService(sp => sp.GetRequiredService<NodeLeaseKeeper>());
        services.AddHostedService<ReplicaMonitor>();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<IdsHealthCheck>("ids", tags: ["ready"]);
        return services;
    }

    public static Database Create(DataOptions options, ScalegramMetrics metrics)
    {
        var problems = options.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(DataOptions.Section, typeof(DataOptions), problems);
        }

        // Password hashes, tokens and keys live here: private to the service's user (0700), whatever the engine.
        DataDirectory.EnsurePrivate(options.Directory);
        var stores = options.Engine == DataEngine.Postgres ? PostgresStores(options, metrics) : SqliteStores(options, metrics);
        return new Database(stores, new ShardMap(stores.Select(s => s.Name).ToList()));
    }

    private static List<PhysicalStore> SqliteStores(DataOptions options, ScalegramMetrics metrics) =>
        Enumerable.Range(0, options.SqliteStores).Select(i =>
        {
            var name = $"store{i}";
            var endpoint = new SqliteEndpoint(Path.Combine(options.Directory, "db", $"{name}.db"));
            return new PhysicalStore(name, SqlDialect.Sqlite, new CountingEndpoint(endpoint, name, "primary", metrics));
        }).ToList();

    private static List<PhysicalStore> PostgresStores(DataOptions options, ScalegramMetrics metrics)
    {
        var replication = new ReplicationMetrics(metrics);
        return options.Postgres.Stores.Select((config, i) =>
        {
            var name = $"store{i}";
            var server = new PostgresEndpoint(config.Primary!, $"{name}-primary", writes: true);
            var primary = new CountingEndpoint(server, name, "primary", metrics);
            if (config.Replicas.Count == 0)
            {
                return new PhysicalStore(name, SqlDialect.Postgres, primary);
            }

            var nodes = config.Replicas.Select((replica, m) =>
            {
                var parsed = new Npgsql.NpgsqlConnectionStringBuilder(replica);
                return new ReplicaNode($"{parsed.Host}:{parsed.Port}", new PostgresEndpoint(replica, $"{name}-replica{m}"));
            }).ToList();
            var set = new ReplicaSet(name, server, nodes, options.Postgres.MaxReplicaLag, replication);
            replication.Track(set);
            var writes = new WritePrimaryEndpoint(name, primary, server);
            return new PhysicalStore(name, SqlDialect.Postgres, writes, new ReplicaEndpoint(set, primary), set);
        }).ToList();
    }

    /// <summary>
    /// Brings every store's schema up to date before the node serves or works, then checks the configured
    /// store list against the shard placement recorded in the data (recording it on first start).
    /// </summary>
    private sealed class MigrateOnStart(Migrator migrator, Database database, IOptions<DataOptions> options) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (options.Value.MigrateOnStart)
            {
                await migrator.MigrateAllAsync(cancellationToken);
            }

            await ShardPlacement.VerifyOrRecordAsync(database, options.Value.Engine, cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
