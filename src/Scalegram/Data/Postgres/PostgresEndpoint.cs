using System.Data.Common;
using Npgsql;

namespace Scalegram.Data.Postgres;

/// <summary>
/// Opens pooled connections to one PostgreSQL server (a primary or a replica) through an
/// NpgsqlDataSource; pool sizes come from the connection string (Minimum/Maximum Pool Size).
/// </summary>
internal sealed class PostgresEndpoint : IStoreEndpoint, IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;

    public PostgresEndpoint(string connectionString, string name)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);

        // Names the pool in Npgsql's own metrics (db.client.connections.*), so /metrics shows each store's pool.
        builder.Name = name;
        _source = builder.Build();
        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        Describe = $"postgres:{parsed.Host}:{parsed.Port}/{parsed.Database}";
    }

    public string Describe { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default) => await _source.OpenConnectionAsync(ct);

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
