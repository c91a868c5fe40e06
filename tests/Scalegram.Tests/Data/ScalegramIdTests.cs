using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Scalegram.Data.Ids;

namespace Scalegram.Tests.Data;

public sealed class ScalegramIdTests
{
    [Fact]
    public void Compose_and_extract_round_trip_time_shard_and_sequence()
    {
        var id = ScalegramId.Compose(123_456_789, 8191, 1023);

        Assert.Equal(8191, ScalegramId.ShardOf(id));
        Assert.Equal(1023, ScalegramId.SequenceOf(id));
        Assert.Equal(ScalegramId.Epoch.AddMilliseconds(123_456_789), ScalegramId.TimestampOf(id));
    }

    [Fact]
    public void Layout_is_41_time_bits_then_13_shard_bits_then_10_sequence_bits()
    {
        Assert.Equal(64, ScalegramId.TimeBits + ScalegramId.ShardBits + ScalegramId.SequenceBits);
        Assert.Equal(1L << 23, ScalegramId.Compose(1, 0, 0));
        Assert.Equal(1L << 10, ScalegramId.Compose(0, 1, 0));
        Assert.Equal(1L, ScalegramId.Compose(0, 0, 1));
        Assert.True(ScalegramId.Compose(ScalegramId.MaxMillis, 8191, 1023) > 0, "the largest ID stays positive, so IDs sort as signed 64-bit numbers");
    }

    [Theory]
    [InlineData(-1, 0, 0)]
    [InlineData(1L << 41, 0, 0)]
    [InlineData(1L << 40, 0, 0)]
    [InlineData(0, 8192, 0)]
    [InlineData(0, -1, 0)]
    [InlineData(0, 0, 1024)]
    public void Compose_refuses_values_that_do_not_fit(long millis, int shard, int sequence) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ScalegramId.Compose(millis, shard, sequence));

    [Fact]
    public void Ids_sort_by_time_whatever_their_shard_and_sequence()
    {
        var earlier = ScalegramId.Compose(1000, 8191, 1023);
        var later = ScalegramId.Compose(1001, 0, 0);
        Assert.True(earlier < later);
        Assert.True(ScalegramId.LowerBoundAt(ScalegramId.TimestampOf(later)) <= later);
        Assert.True(ScalegramId.LowerBoundAt(ScalegramId.TimestampOf(later)) > earlier);
    }

    [Fact]
    public void Generator_mints_ids_carrying_the_shard_and_the_current_time()
    {
        var clock = new FakeTimeProvider(ScalegramId.Epoch.AddDays(300));
        var ids = Leased(clock);

        var id = ids.Next(4242);

        Assert.Equal(4242, ScalegramId.ShardOf(id));
        Assert.Equal(clock.GetUtcNow(), ScalegramId.TimestampOf(id));
    }

    [Fact]
    public void Generator_borrows_the_next_millisecond_after_32_ids_for_one_shard_in_one()
    {
        var clock = new FakeTimeProvider(ScalegramId.Epoch.AddDays(1));
        var ids = Leased(clock);

        var minted = Enumerable.Range(0, 33).Select(_ => ids.Next(7)).ToList();

        Assert.Equal(33, minted.Distinct().Count());
        Assert.All(minted.Take(32), id => Assert.Equal(clock.GetUtcNow(), ScalegramId.TimestampOf(id)));
        Assert.Equal(clock.GetUtcNow().AddMilliseconds(1), ScalegramId.TimestampOf(minted[32]));
    }

    [Fact]
    public void Generator_never_goes_back_in_time_when_the_clock_does()
    {
        var clock = new ManualClock { Now = ScalegramId.Epoch.AddDays(2) };
        var ids = Leased(clock);
        var first = ids.Next(1);

        clock.Now -= TimeSpan.FromSeconds(5);
        var second = ids.Next(1);

        Assert.NotEqual(first, second);
        Assert.True(ScalegramId.TimestampOf(second) >= ScalegramId.TimestampOf(first));
    }

    [Fact]
    public void Generator_never_repeats_under_many_threads()
    {
        var ids = Leased(TimeProvider.System);
        var seen = new ConcurrentDictionary<long, byte>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var i = 0; i < 25_000; i++)
            {
                Assert.True(seen.TryAdd(ids.Next(3), 0), "an ID was minted twice");
            }
        });
        Assert.Equal(200_000, seen.Count);
    }

    private static IdGenerator Leased(TimeProvider clock)
    {
        var ids = new IdGenerator(clock);
        ids.Start(new NodeLease(3, "test", 0, ScalegramId.MaxMillis));
        return ids;
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
