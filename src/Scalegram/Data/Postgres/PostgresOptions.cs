using Npgsql;

namespace Scalegram.Data.Postgres;

/// <summary>PostgreSQL stores (section "Data:Postgres"): one entry per physical store, in shard-map order, and how replicas are used.</summary>
internal sealed class PostgresOptions
{
    public List<PostgresStoreOptions> Stores { get; set; } = [];

    /// <summary>A standby further behind than this (seconds of replay) gets no reads until it catches up.</summary>
    public TimeSpan MaxReplicaLag { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often each replica node is asked its role and replay position (and the primary its WAL position).</summary>
    public TimeSpan ReplicaPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Checks the keys attributes cannot, each message naming its key.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxReplicaLag < TimeSpan.FromMilliseconds(100) || MaxReplicaLag > TimeSpan.FromHours(1))
        {
            yield return "Data:Postgres:MaxReplicaLag must be between 00:00:00.1 and 01:00:00.";
        }

        if (ReplicaPollInterval < TimeSpan.FromMilliseconds(50) || ReplicaPollInterval > TimeSpan.FromMinutes(1))
        {
            yield return "Data:Postgres:ReplicaPollInterval must be between 00:00:00.05 and 00:01:00.";
        }

        for (var i = 0; i < Stores.Count; i++)
        {
            var store = Stores[i];
            if (string.IsNullOrWhiteSpace(store.Primary))
            {
                yield return $"Data:Postgres:Stores:{i}:Primary is required (an Npgsql connection string).";
            }
            else if (Invalid(store.Primary) is { } error)
            {
                yield return $"Data:Postgres:Stores:{i}:Primary is not a valid Npgsql connection string: {error}";
            }

            for (var m = 0; m < store.Replicas.Count; m++)
            {
                var replica = store.Replicas[m];
                if (string.IsNullOrWhiteSpace(replica) || Invalid(replica) is not null)
                {
                    yield return $"Data:Postgres:Stores:{i}:Replicas:{m} is not a valid Npgsql connection string: {Invalid(replica ?? "") ?? "it is empty"}";
                }
                else if (new NpgsqlConnectionStringBuilder(replica).Host!.Contains(',', StringComparison.Ordinal))
                {
                    yield return $"Data:Postgres:Stores:{i}:Replicas:{m} must name one host (one entry per replica node).";
                }
            }
        }
    }

    private static string? Invalid(string connectionString)
    {
        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(parsed.Host) ? "it names no Host." : null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}

/// <summary>
/// One physical PostgreSQL store: its primary (a connection string; several hosts with Target Session
/// Attributes=read-write let Npgsql follow a failover) and the nodes that may serve reads (one single-host
/// connection string each; the current primary may be among them: each node's role is discovered, not configured).
/// </summary>
internal sealed class PostgresStoreOptions
{
    public string? Primary { get; set; }

    public List<string> Replicas { get; set; } = [];
}
