namespace Scalegram.Data.Ids;

/// <summary>The 64-bit sortable ID layout: 41 bits of milliseconds, 13 bits of logical shard, 10 bits of sequence.</summary>
internal static class ScalegramId
{
    public const int SequenceBits = 10;
    public const int ShardBits = 13;
    public const int TimeBits = 41;
    public const int LogicalShardCount = 1 << ShardBits;
    public const int MaxSequence = (1 << SequenceBits) - 1;

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

    public static int ShardOf(long id) => (int)((id >> SequenceBits) & (LogicalShardCount - 1));

    public static int SequenceOf(long id) => (int)(id & MaxSequence);

    public static DateTimeOffset TimestampOf(long id) => Epoch.AddMilliseconds(id >> (ShardBits + SequenceBits));

    /// <summary>The smallest ID that can be minted at <paramref name="time"/>; used for time-bounded cursors.</summary>
    public static long LowerBoundAt(DateTimeOffset time) => Compose((long)(time - Epoch).TotalMilliseconds, 0, 0);
}
