using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Scalegram.Observability;

namespace Scalegram.Data.Replication;

/// <summary>
/// The read/write split's figures on /metrics: lag per replica (bytes, seconds), reads by target, read-your-writes
/// fallbacks, replicas skipped (lag, down), retried reads and failovers seen.
/// </summary>
internal sealed class ReplicationMetrics
{
    private readonly ConcurrentBag<ReplicaSet> _sets = [];
    private readonly Counter<long> _reads;
    private readonly Counter<long> _rywFallbacks;
    private readonly Counter<long> _skipped;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _failovers;

    public ReplicationMetrics(ScalegramMetrics metrics)
    {
        var meter = metrics.Meter;
        _reads = meter.CreateCounter<long>("scalegram.db.reads", "{read}", "Reads sent to db.Replica, by store and where they went (primary, replica).");
        _rywFallbacks = meter.CreateCounter<long>("scalegram.db.read_your_writes.fallbacks", "{read}", "Reads that went to the primary because no usable standby had replayed the user's own write yet.");
        _skipped = meter.CreateCounter<long>("scalegram.db.replica.skipped", "{read}", "Reads that passed over a standby, by store, replica and reason (lag, down).");
        _retries = meter.CreateCounter<long>("scalegram.db.read.retries", "{read}", "Reads retried on another node after a connection-level failure.");
        _failovers = meter.CreateCounter<long>("scalegram.db.failovers", "{failover}", "Times the primary of a store was seen to change (a failover or switchover).");
        meter.CreateObservableGauge("scalegram.db.replica.lag.bytes", () => Lags(s => s.LagBytes), "By", "WAL bytes a standby has not replayed yet (at its last check).");
        meter.CreateObservableGauge("scalegram.db.replica.lag.seconds", () => Lags(s => s.Lag.TotalSeconds), "s", "How far behind the primary a standby's replay is (0 when caught up).");
        meter.CreateObservableGauge("scalegram.db.replica.up", () => Nodes().Select(n => new Measurement<int>(
            n.Node.State.Role is ReplicaRole.Standby or ReplicaRole.Primary ? 1 : 0,
            new("store", n.Store), new("replica", n.Node.Name), new("role", n.Node.State.Role.ToString().ToLowerInvariant()))), "{node}", "Whether each listed node answered its last check, with the role it has.");
    }

    public void Track(ReplicaSet set) => _sets.Add(set);

    public void Read(string store, bool replica) => _reads.Add(1, new("store", store), new("target", replica ? "replica" : "primary"));

    public void ReadYourWritesFallback(string store) => _rywFallbacks.Add(1, new KeyValuePair<string, object?>("store", store));

    public void Skipped(string store, string replica, string reason) => _skipped.Add(1, new("store", store), new("replica", replica), new("reason", reason));

    public void Retried(string store) => _retries.Add(1, new KeyValuePair<string, object?>("store", store));

    public void Failover(string store) => _failovers.Add(1, new KeyValuePair<string, object?>("store", store));

    private IEnumerable<(string Store, ReplicaNode Node)> Nodes() => _sets.SelectMany(s => s.Nodes.Select(n => (s.Store, n)));

    /// <summary>Only standbys have a lag; a node that is the primary, down or unchecked reports none.</summary>
    private IEnumerable<Measurement<T>> Lags<T>(Func<NodeState, T> value)
        where T : struct =>
        Nodes().Where(n => n.Node.State.Role == ReplicaRole.Standby)
            .Select(n => new Measurement<T>(value(n.Node.State), new("store", n.Store), new("replica", n.Node.Name)));
}
