namespace Scalegram.Data.Postgres;

/// <summary>PostgreSQL stores (section "Data:Postgres"): one entry per physical store, in shard-map order.</summary>
internal sealed class PostgresOptions
{
    public List<PostgresStoreOptions> Stores { get; set; } = [];
}

/// <summary>One physical PostgreSQL store: its primary and, optionally, read replicas (Npgsql connection strings).</summary>
internal sealed class PostgresStoreOptions
{
    public string? Primary { get; set; }

    public List<string> Replicas { get; set; } = [];
}
