namespace Scalegram.Data;

/// <summary>A physical database: where writes go (Primary) and where reads may go (Replica).</summary>
internal sealed class PhysicalStore(string name, SqlDialect dialect, IStoreEndpoint primary, IStoreEndpoint? replica = null)
{
    public string Name { get; } = name;

    /// <summary>The engine's dialect for the few statements that differ.</summary>
    public SqlDialect Dialect { get; } = dialect;

    public IStoreEndpoint Primary { get; } = primary;

    /// <summary>Reads that tolerate replication lag; the primary when there is no replica.</summary>
    public IStoreEndpoint Replica { get; } = replica ?? primary;
}
