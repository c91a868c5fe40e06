namespace Scalegram.Data;

/// <summary>A physical database: where writes go (Primary) and where reads may go (Replica).</summary>
public sealed class PhysicalStore(string name, string engine, IStoreEndpoint primary, IStoreEndpoint? replica = null)
{
    public string Name { get; } = name;

    /// <summary>"sqlite" or "postgres": picks the dialect of the few statements that differ.</summary>
    public string Engine { get; } = engine;

    public IStoreEndpoint Primary { get; } = primary;

    /// <summary>Reads that tolerate replication lag; the primary when there is no replica.</summary>
    public IStoreEndpoint Replica { get; } = replica ?? primary;

    /// <summary>
    /// "column matches any ID in the list" in this engine's dialect: Dapper binds a list as one array
    /// parameter on PostgreSQL (so = ANY) and expands it into a list on SQLite (so IN).
    /// </summary>
    public string MatchesAny(string parameter) => Engine == "postgres" ? $"= ANY({parameter})" : $"IN {parameter}";
}
