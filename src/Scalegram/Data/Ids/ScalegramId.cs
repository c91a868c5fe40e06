namespace Scalegram.Data.Ids;

/// <summary>
/// The 64-bit sortable ID layout: 41 bits of milliseconds, 13 bits of logical shard, 10 bits of
/// sequence; since node leases the 10 split into 5 bits of node ID and 5 of per-node sequence.
/// </summary>
internal static class ScalegramId
{
    public const int SequenceBits = 10;
    public const int ShardBits = 13;
    public const int TimeBits = 41;
    public const int LogicalShardCount = 1 << ShardBits;
    public const int MaxSequence = (1 << SequenceBits) - 1;

    /// <summary>The high bits of the 10-bit sequence name the leased node that minted the ID (IDs minted before leases carry a random number there).</summary>
    public const int NodeBits = 5;

    /// <summary>The low bits count the IDs one node mints for one shard in one millisecond.</summary>
    public const int NodeSequenceBits = SequenceBits - NodeBits;

    /// <summary>How many processes can mint at once against one directory store: 32.</summary>
    public const int MaxNodes = 1 << NodeBits;

    /// <summary>The last per-node sequence number: 32 IDs per node, shard and millisecond.</summary>
    public const int MaxNodeSequence = (1 << NodeSequenceBits) - 1;

    /// <summary>
    /// The last millisecond an ID can carry. The top bit of the 41 is the sign bit of a long, so it
    /// stays 0: IDs remain positive and sort as signed numbers (databases, cursors) until 2059.
    /// </summary>
    public const long MaxMillis = (1L << (TimeBits - 1)) - 1;

    /// <summary>IDs count milliseconds from here.</summary>
    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static long Compose(long millisSinceEpoch, int logicalShard, int sequence)
    {
        if (millisSinceEpoch < 0 || millisSinceEpoch > MaxMillis)
        {
            throw new ArgumentOutOfRangeException(nameof(millisSinceEpoch));
        }

        if ((uint)logicalShard >= LogicalShardCount)
        {
            throw new ArgumentOutOfRangeException(nameof(logicalShard));
        }

        if ((uint)sequence > MaxSequence)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence));
        }

        return (millisSinceEpoch << (ShardBits + SequenceBits)) | ((long)logicalShard << SequenceBits) | (long)sequence;
    }

    /// <summary>An ID minted by a leased node: the sequence field is the node ID then that node's own sequence.</summary>
    public static long Compose(long millisSinceEpoch, int logicalShard, int node, int nodeSequence)
    {
        if ((uint)node >= MaxNodes)
        {
            throw new ArgumentOutOfRangeException(nameof(node));
        }

        if ((uint)nodeSequence > MaxNodeSequence)
        {
            throw new ArgumentOutOfRangeException(nameof(nodeSequence));
        }

        return Compose(millisSinceEpoch, logicalShard, (node << NodeSequenceBits) | nodeSequence);
    }

    public static int ShardOf(long id) => (int)((id >> SequenceBits) & (LogicalShardCount - 1));

    public static int SequenceOf(long id) => (int)(id & MaxSequence);

    /// <summary>The node that minted the ID (meaningful for IDs minted under a node lease).</summary>
    public static int NodeOf(long id) => SequenceOf(id) >> NodeSequenceBits;

    public static long MillisOf(long id) => id >> (ShardBits + SequenceBits);

    public static DateTimeOffset TimestampOf(long id) => Epoch.AddMilliseconds(id >> (ShardBits + SequenceBits));

    /// <summary>The smallest ID that can be minted at <paramref name="time"/>; used for time-bounded cursors.</summary>
    public static long LowerBoundAt(DateTimeOffset time) => Compose((long)(time - Epoch).TotalMilliseconds, 0, 0);
}
