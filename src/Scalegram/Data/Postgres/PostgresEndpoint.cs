using System.Data.Common;
using Npgsql;

namespace Scalegram.Data.Postgres;

/// <summary>
/// Opens pooled connections to one PostgreSQL server, or to whichever of several hosts is writable
/// (a multi-host primary), through an NpgsqlDataSource; pool sizes come from the connection string.
/// </summary>
internal sealed class PostgresEndpoint : IStoreEndpoint, IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;

    public PostgresEndpoint(string connectionString, string name, bool writes = false)
    {
        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        if (writes && !connectionString.Contains("Cancellation", StringComparison.OrdinalIgnoreCase))
        {
            // A commit waiting for a synchronous standby that Npgsql cancels (Command Timeout) is reported by
            // PostgreSQL as a success although no standby has it; breaking the connection instead makes it
            // an error (503, outcome unknown, retried under its Idempotency-Key), never an acknowledgement.
            parsed.CancellationTimeout = -1;
        }

        if (parsed.Host!.Contains(',', StringComparison.Ordinal))
        {
            // After a failover the writable host changes: Npgsql caches each host's role for Host Recheck
            // Seconds (default 10), so keep that short; and never let a multi-host primary land on a standby.
            if (!connectionString.Contains("Recheck", StringComparison.OrdinalIgnoreCase))
            {
                parsed.HostRecheckSeconds = 1;
            }

            if (!connectionString.Contains("Target Session", StringComparison.OrdinalIgnoreCase)
                && !connectionString.Contains("TargetSession", StringComparison.OrdinalIgnoreCase))
            {
                parsed.TargetSessionAttributes = "read-write";
            }
        }

        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if ((!writes || parsed.Host.Contains(',', StringComparison.Ordinal)) && !given.ContainsKey("Timeout") && !given.ContainsKey("Connect Timeout"))
        {
            // A frozen or cut-off node accepts no connection and refuses none: with Npgsql's default 15 s connect
            // timeout a multi-host primary string waits that long on a dead first host before trying the next
            // (the frozen-primary drill saw writes stall until the node woke), and a replica read likewise.
            parsed.Timeout = ConnectTimeoutSeconds;
        }

        var builder = new NpgsqlDataSourceBuilder(parsed.ConnectionString);

        // Names the pool in Npgsql's own metrics (db.client.connections.*), so /metrics shows each store's pool.
        builder.Name = name;
        _source = builder.Build();
        Describe = $"postgres:{parsed.Host}{(parsed.Host.Contains(',', StringComparison.Ordinal) ? "" : $":{parsed.Port}")}/{parsed.Database}";
        MultiHost = parsed.Host.Contains(',', StringComparison.Ordinal);
    }

    /// <summary>Connect timeout for multi-host primaries and replicas unless their string sets one.</summary>
    public const int ConnectTimeoutSeconds = 3;

    public string Describe { get; }

    public bool MultiHost { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default) => await _source.OpenConnectionAsync(ct);

    /// <summary>
    /// Drops idle pooled connections (and forgets which host was writable), so the next open finds the
    /// current primary: called when the primary is seen to change or a node stops answering.
    /// </summary>
    public void Reset()
    {
        _source.Clear();
        if (_source is NpgsqlMultiHostDataSource multi)
        {
            multi.ClearDatabaseStates();
        }
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
