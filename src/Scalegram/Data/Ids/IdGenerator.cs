namespace Scalegram.Data.Ids;

/// <summary>
/// Mints sortable IDs for a logical shard under this process's node lease; thread-safe. Two processes
/// never mint the same ID: their node IDs differ, and one node ID's holders mint in disjoint time ranges.
/// </summary>
internal sealed class IdGenerator
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    // Per logical shard: the last millisecond minted in and the sequence used there, so each shard
    // gets its own 32 IDs per millisecond.
    private readonly long[] _shardMillis = new long[ScalegramId.LogicalShardCount];
    private readonly byte[] _shardSequence = new byte[ScalegramId.LogicalShardCount];
    private NodeLease? _lease;

    // The highest clock reading seen: when the wall clock steps back, IDs keep this time (and run
    // ahead of the clock, never further than the fence) instead of going back.
    private long _clockMillis = -1;
    private long _highWater = -1;

    public IdGenerator(TimeProvider time)
    {
        _time = time;
        Array.Fill(_shardMillis, -1L);
    }

    /// <summary>The lease IDs are minted under now, or null before one is taken and after it is given up.</summary>
    public NodeLease? Lease
    {
        get
        {
            lock (_gate)
            {
                return _lease;
            }
        }
    }

    /// <summary>Milliseconds since the ID epoch by this process's clock, never less than a reading already used.</summary>
    public long ClockMillis
    {
        get
        {
            lock (_gate)
            {
                return Math.Max(NowMillis, _clockMillis);
            }
        }
    }

    private long NowMillis => (long)(_time.GetUtcNow() - ScalegramId.Epoch).TotalMilliseconds;

    /// <summary>Starts minting under a newly taken lease (replacing any former one).</summary>
    public void Start(NodeLease lease)
    {
        lock (_gate)
        {
            _lease = lease;
            Array.Fill(_shardMillis, -1L);
            Array.Clear(_shardSequence);
            _highWater = lease.FloorMillis - 1;
        }
    }

    /// <summary>Moves the fence of the current lease forward after a renewal was committed; ignored if that lease is gone.</summary>
    public void Extend(string holder, long fenceMillis)
    {
        lock (_gate)
        {
            if (_lease is { } lease && lease.Holder == holder && fenceMillis > lease.FenceMillis)
            {
                _lease = lease with { FenceMillis = fenceMillis };
            }
        }
    }

    /// <summary>
    /// Stops minting under the lease and returns the last millisecond any of its IDs can carry (the
    /// fence to record when giving the node ID back), or null if there was no lease.
    /// </summary>
    public long? Stop()
    {
        lock (_gate)
        {
            if (_lease is null)
            {
                return null;
            }

            _lease = null;
            return _highWater;
        }
    }

    /// <summary>Whether an ID could be minted now: a lease is held and its fence is not yet passed.</summary>
    public bool CanMint(out string reason)
    {
        lock (_gate)
        {
            var now = Math.Max(NowMillis, _clockMillis);
            (var ok, reason) = _lease switch
            {
                null => (false, "no node ID is leased"),
                { } l when now > l.FenceMillis => (false, $"the lease on node ID {l.NodeId} ended {now - l.FenceMillis} ms ago (not renewed)"),
                { } l => (true, $"node ID {l.NodeId}, fence in {l.FenceMillis - now} ms"),
            };
            return ok;
        }
    }

    /// <summary>A new ID for the logical shard; throws rather than mint outside the lease.</summary>
    public long Next(int logicalShard)
    {
        if ((uint)logicalShard >= ScalegramId.LogicalShardCount)
        {
            throw new ArgumentOutOfRangeException(nameof(logicalShard));
        }

        lock (_gate)
        {
            var lease = _lease ?? throw new InvalidOperationException("No node ID is leased: IDs are minted only under a node lease (taken at start-up from node_leases on the directory store).");
            _clockMillis = Math.Max(Math.Max(NowMillis, _clockMillis), lease.FloorMillis);
            var millis = _clockMillis;
            var sequence = 0;
            if (millis <= _shardMillis[logicalShard])
            {
                millis = _shardMillis[logicalShard];
                sequence = _shardSequence[logicalShard] + 1;
                if (sequence > ScalegramId.MaxNodeSequence)
                {
                    // 32 IDs for this shard in this millisecond: borrow the next millisecond rather than repeat.
                    millis++;
                    sequence = 0;
                }
            }

            if (millis > lease.FenceMillis)
            {
                throw new InvalidOperationException($"The lease on node ID {lease.NodeId} ends at {ScalegramId.Epoch.AddMilliseconds(lease.FenceMillis):O} and was not renewed: minting stops rather than risk a duplicate.");
            }

            _shardMillis[logicalShard] = millis;
            _shardSequence[logicalShard] = (byte)sequence;
            _highWater = Math.Max(_highWater, millis);
            return ScalegramId.Compose(millis, logicalShard, lease.NodeId, sequence);
        }
    }
}
