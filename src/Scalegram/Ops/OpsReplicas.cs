using Scalegram.Data;

namespace Scalegram.Ops;

/// <summary>What the ops page shows of each store's replicas: the primary it writes to and each listed node's role and lag, as the monitor last saw them.</summary>
internal sealed record OpsReplicaStore(string Store, string? PrimaryServer, string PrimaryPosition, double MaxLagMs, IReadOnlyList<OpsReplicaNode> Nodes)
{
    public static IReadOnlyList<OpsReplicaStore> Of(Database db) =>
        db.Stores.Where(s => s.Replicas is not null).Select(s =>
        {
            var set = s.Replicas!;
            return new OpsReplicaStore(
                s.Name,
                set.PrimaryServer,
                set.PrimaryPosition.ToString(),
                set.MaxLag.TotalMilliseconds,
                set.Nodes.Select(n =>
                {
                    var state = n.State;
                    return new OpsReplicaNode(n.Name, state.Role.ToString().ToLowerInvariant(), state.Lag.TotalMilliseconds, state.LagBytes, state.Replayed.ToString(), state.CheckedAt == DateTimeOffset.MinValue ? null : state.CheckedAt);
                }).ToList());
        }).ToList();
}

/// <summary>One node of a store's replica list on the ops page.</summary>
internal sealed record OpsReplicaNode(string Name, string Role, double LagMs, long LagBytes, string Replayed, DateTimeOffset? CheckedAt);
