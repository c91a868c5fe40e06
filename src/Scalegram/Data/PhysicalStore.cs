using Scalegram.Data.Replication;

namespace Scalegram.Data;

/// <summary>
/// A physical database as call sites see it: <see cref="Primary"/> for writes and reads that must be fresh,
/// <see cref="Replica"/> for reads that tolerate replication lag (routed to a healthy standby within
/// Data:Postgres:MaxReplicaLag, past the reader's own writes, else to the primary).
/// </summary>
internal sealed class PhysicalStore(string name, SqlDialect dialect, IStoreEndpoint primary, IStoreEndpoint? replica = null, ReplicaSet? replicas = null)
{
    public string Name { get; } = name;

    /// <summary>The engine's dialect for the few statements that differ.</summary>
    public SqlDialect Dialect { get; } = dialect;

    /// <summary>Writes, and reads that must see the latest committed data (inside a write, cache fills, jobs).</summary>
    public IStoreEndpoint Primary { get; } = primary;

    /// <summary>Reads that tolerate replication lag; the primary when there is no replica.</summary>
    public IStoreEndpoint Replica { get; } = replica ?? primary;

    /// <summary>The store's replica nodes and their last known state; null when it has none.</summary>
    public ReplicaSet? Replicas { get; } = replicas;
}
