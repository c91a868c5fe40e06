using Scalegram.Data.Postgres;

namespace Scalegram.Data.Replication;

/// <summary>
/// One store's nodes as the read router sees them: the primary's last known WAL position and identity, each
/// listed node's role and lag, and the rule that picks where a replica read goes.
/// </summary>
internal sealed class ReplicaSet(string store, PostgresEndpoint primary, IReadOnlyList<ReplicaNode> nodes, TimeSpan maxLag, ReplicationMetrics metrics)
    : IAsyncDisposable
{
    private int _next;

    public string Store { get; } = store;

    public PostgresEndpoint Primary { get; } = primary;

    public IReadOnlyList<ReplicaNode> Nodes { get; } = nodes;

    public TimeSpan MaxLag { get; } = maxLag;

    public ReplicationMetrics Metrics { get; } = metrics;

    /// <summary>The primary's WAL position at the last check.</summary>
    public Lsn PrimaryPosition { get; set; }

    /// <summary>Which server answered as primary at the last check (host:port); a change is a failover.</summary>
    public string? PrimaryServer { get; set; }

    /// <summary>
    /// Where a replica read should go: <c>Node</c>, or the primary when null. <paramref name="required"/> is the
    /// position the reader's own writes reached (null: the primary must answer). Standbys past
    /// <see cref="MaxLag"/>, down or not yet checked are passed over; among the rest, round-robin. When the only
    /// fresh-enough standbys were last seen short of <paramref name="required"/>, <c>Ask</c> is one of them: it
    /// may have replayed the write since its last check, and asking it is cheaper than loading the primary.
    /// </summary>
    public (ReplicaNode? Node, ReplicaNode? Ask) Choose(Lsn? required, ReplicaNode? exclude = null)
    {
        if (required is null)
        {
            return (null, null);
        }

        var usable = new List<ReplicaNode>(Nodes.Count);
        var behind = new List<ReplicaNode>();
        foreach (var node in Nodes)
        {
            var state = node.State;
            if (node == exclude || state.Role != ReplicaRole.Standby)
            {
                if (state.Role == ReplicaRole.Down)
                {
                    Metrics.Skipped(Store, node.Name, "down");
                }

                continue;
            }

            if (state.Lag > MaxLag)
            {
                Metrics.Skipped(Store, node.Name, "lag");
                continue;
            }

            (state.Replayed >= required.Value ? usable : behind).Add(node);
        }

        var turn = (uint)Interlocked.Increment(ref _next);
        return usable.Count > 0 ? (usable[(int)(turn % (uint)usable.Count)], null)
            : behind.Count > 0 ? (null, behind[(int)(turn % (uint)behind.Count)])
            : (null, null);
    }

    /// <summary>The primary's WAL position now (after a commit, at least that commit's end): what a standby must replay.</summary>
    public async Task<Lsn> CurrentPositionAsync(CancellationToken ct)
    {
        await using var connection = await Primary.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_current_wal_lsn()::text";
        return Lsn.Parse((string)(await command.ExecuteScalarAsync(ct))!);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
