using Microsoft.Extensions.Time.Testing;
using Scalegram.Data.Ids;

namespace Scalegram.Tests.Data.Ids;

/// <summary>The generator mints only inside its node lease: its node bits, after the floor, up to the fence.</summary>
public sealed class IdGeneratorLeaseTests
{
    private static readonly DateTimeOffset Start = ScalegramId.Epoch.AddDays(400);
    private static readonly long StartMillis = (long)(Start - ScalegramId.Epoch).TotalMilliseconds;

    [Fact]
    public void Without_a_lease_nothing_is_minted()
    {
        var ids = new IdGenerator(new FakeTimeProvider(Start));

        Assert.Throws<InvalidOperationException>(() => ids.Next(1));
        Assert.False(ids.CanMint(out _));
    }

    [Fact]
    public void Ids_carry_the_node_id_and_the_shard_and_stay_sortable_by_time()
    {
        var ids = new IdGenerator(new FakeTimeProvider(Start));
        ids.Start(new NodeLease(21, "h", StartMillis, StartMillis + 10_000));

        var id = ids.Next(8191);

        Assert.Equal(21, ScalegramId.NodeOf(id));
        Assert.Equal(8191, ScalegramId.ShardOf(id));
        Assert.Equal(Start, ScalegramId.TimestampOf(id));
    }

    [Fact]
    public void Two_nodes_minting_in_the_same_millisecond_for_the_same_shard_never_collide()
    {
        var clock = new FakeTimeProvider(Start);
        var a = new IdGenerator(clock);
        var b = new IdGenerator(clock);
        a.Start(new NodeLease(0, "a", StartMillis, StartMillis + 10_000));
        b.Start(new NodeLease(1, "b", StartMillis, StartMillis + 10_000));

        var minted = Enumerable.Range(0, 1000).SelectMany(_ => new[] { a.Next(5), b.Next(5) }).ToList();

        Assert.Equal(minted.Count, minted.Distinct().Count());
    }

    [Fact]
    public void Each_shard_has_its_own_32_ids_per_millisecond()
    {
        var ids = new IdGenerator(new FakeTimeProvider(Start));
        ids.Start(new NodeLease(0, "h", StartMillis, StartMillis + 10_000));

        var minted = Enumerable.Range(0, 32).SelectMany(_ => new[] { ids.Next(1), ids.Next(2) }).ToList();

        Assert.Equal(64, minted.Distinct().Count());
        Assert.All(minted, id => Assert.Equal(Start, ScalegramId.TimestampOf(id)));
    }

    [Fact]
    public void Nothing_is_minted_before_the_floor_even_when_the_clock_is_behind_it()
    {
        var ids = new IdGenerator(new FakeTimeProvider(Start));
        ids.Start(new NodeLease(0, "h", StartMillis + 500, StartMillis + 10_000));

        Assert.Equal(StartMillis + 500, ScalegramId.MillisOf(ids.Next(1)));
    }

    [Fact]
    public void At_the_fence_minting_stops_until_a_renewal_extends_it()
    {
        var clock = new FakeTimeProvider(Start);
        var ids = new IdGenerator(clock);
        ids.Start(new NodeLease(0, "h", StartMillis, StartMillis + 1_000));
        ids.Next(1);

        clock.Advance(TimeSpan.FromMilliseconds(1_001));
        Assert.Throws<InvalidOperationException>(() => ids.Next(1));
        Assert.False(ids.CanMint(out var reason));
        Assert.Contains("ended", reason, StringComparison.Ordinal);

        ids.Extend("someone else", StartMillis + 5_000);
        Assert.Throws<InvalidOperationException>(() => ids.Next(1));

        ids.Extend("h", StartMillis + 5_000);
        Assert.Equal(StartMillis + 1_001, ScalegramId.MillisOf(ids.Next(1)));
        Assert.True(ids.CanMint(out _));
    }

    [Fact]
    public void Borrowing_milliseconds_never_crosses_the_fence()
    {
        var ids = new IdGenerator(new FakeTimeProvider(Start));
        ids.Start(new NodeLease(0, "h", StartMillis, StartMillis + 1));

        var minted = Enumerable.Range(0, 64).Select(_ => ids.Next(1)).ToList();

        Assert.Equal(64, minted.Distinct().Count());
        Assert.Throws<InvalidOperationException>(() => ids.Next(1));
    }

    [Fact]
    public void A_clock_stepping_back_keeps_ids_at_the_latest_time_seen()
    {
        var clock = new SteppingClock { Now = Start };
        var ids = new IdGenerator(clock);
        ids.Start(new NodeLease(0, "h", StartMillis, StartMillis + 60_000));
        clock.Now += TimeSpan.FromSeconds(2);
        var before = ids.Next(1);

        clock.Now = Start;
        var after = ids.Next(1);

        Assert.True(after > before);
        Assert.Equal(StartMillis + 2_000, ids.ClockMillis);
    }

    [Fact]
    public void Stop_ends_minting_and_reports_the_last_millisecond_minted_in()
    {
        var clock = new FakeTimeProvider(Start);
        var ids = new IdGenerator(clock);
        ids.Start(new NodeLease(0, "h", StartMillis, StartMillis + 10_000));
        Enumerable.Range(0, 33).ToList().ForEach(_ => ids.Next(9));

        Assert.Equal(StartMillis + 1, ids.Stop());
        Assert.Throws<InvalidOperationException>(() => ids.Next(9));
        Assert.Null(ids.Stop());
    }

    [Fact]
    public void Stop_before_any_id_reports_just_before_the_floor()
    {
        var ids = new IdGenerator(new FakeTimeProvider(Start));
        ids.Start(new NodeLease(0, "h", StartMillis, StartMillis + 10_000));

        Assert.Equal(StartMillis - 1, ids.Stop());
    }

    /// <summary>A clock that can be set backwards (FakeTimeProvider refuses to).</summary>
    private sealed class SteppingClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
