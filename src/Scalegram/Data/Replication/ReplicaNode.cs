using Scalegram.Data.Postgres;

namespace Scalegram.Data.Replication;

/// <summary>What a node was found to be at its last check.</summary>
internal enum ReplicaRole
{
    /// <summary>Not checked yet.</summary>
    Unknown,

    /// <summary>In recovery: a hot standby that may serve reads.</summary>
    Standby,

    /// <summary>Not in recovery: the primary (after a failover, or listed among the replicas on purpose).</summary>
    Primary,

    /// <summary>Did not answer (down, or a read on it just failed at the connection level).</summary>
    Down,
}

/// <summary>One node's state at its last check: role, replay position and how far behind the primary it was.</summary>
internal sealed record NodeState(ReplicaRole Role, Lsn Replayed, long LagBytes, TimeSpan Lag, DateTimeOffset CheckedAt)
{
    public static readonly NodeState Unknown = new(ReplicaRole.Unknown, Lsn.Zero, 0, TimeSpan.Zero, DateTimeOffset.MinValue);
}

/// <summary>One node listed under Data:Postgres:Stores:N:Replicas:M; its role is discovered, never configured.</summary>
internal sealed class ReplicaNode(string name, PostgresEndpoint endpoint) : IAsyncDisposable
{
    private volatile NodeState _state = NodeState.Unknown;

    /// <summary>host:port, the metric label.</summary>
    public string Name { get; } = name;

    public PostgresEndpoint Endpoint { get; } = endpoint;

    public NodeState State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>A read on this node failed at the connection level: no more reads until a check finds it again.</summary>
    public void MarkDown()
    {
        _state = _state with { Role = ReplicaRole.Down };
        Endpoint.Reset();
    }

    public ValueTask DisposeAsync() => Endpoint.DisposeAsync();
}
