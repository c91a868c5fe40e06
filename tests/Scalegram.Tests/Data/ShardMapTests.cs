using Scalegram.Data.Ids;
using Scalegram.Data.Sharding;

namespace Scalegram.Tests.Data;

public sealed class ShardMapTests
{
    private static IReadOnlyList<string> Stores(int n) => Enumerable.Range(0, n).Select(i => $"store{i}").ToList();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public void Every_logical_shard_is_placed_on_exactly_one_store(int stores)
    {
        var map = new ShardMap(Stores(stores));

        for (var shard = 0; shard < ScalegramId.LogicalShardCount; shard++)
        {
            Assert.InRange(map.StoreOf(shard), 0, stores - 1);
        }

        Assert.Equal(ScalegramId.LogicalShardCount, Enumerable.Range(0, stores).Sum(map.CountOn));
        Assert.All(Enumerable.Range(0, stores), s => Assert.True(map.CountOn(s) > 0));
    }

    [Fact]
    public void Adding_a_store_moves_shards_only_onto_the_new_store_and_about_one_in_n()
    {
        var before = new ShardMap(Stores(4));
        var after = new ShardMap(Stores(5));

        var moved = 0;
        for (var shard = 0; shard < ScalegramId.LogicalShardCount; shard++)
        {
            var from = before.StoreNames[before.StoreOf(shard)];
            var to = after.StoreNames[after.StoreOf(shard)];
            if (from != to)
            {
                Assert.Equal("store4", to);
                moved++;
            }
        }

        // The minimum is 8192/5 ≈ 1638; allow hashing's spread.
        Assert.InRange(moved, 1300, 2000);
    }

    [Fact]
    public void Placement_is_stable_across_instances_and_ids_route_by_their_shard()
    {
        var a = new ShardMap(Stores(3));
        var b = new ShardMap(Stores(3));
        Assert.All(Enumerable.Range(0, ScalegramId.LogicalShardCount), s => Assert.Equal(a.StoreOf(s), b.StoreOf(s)));

        var id = ScalegramId.Compose(99, 1234, 5);
        Assert.Equal(a.StoreOf(1234), a.StoreOfId(id));
    }

    [Fact]
    public void A_map_needs_a_store() => Assert.Throws<ArgumentException>(() => new ShardMap([]));

    [Fact]
    public void A_users_logical_shard_is_a_stable_spread_hash_of_the_normalised_name()
    {
        Assert.Equal(LogicalShard.ForNewUser("alice"), LogicalShard.ForNewUser("alice"));
        var shards = Enumerable.Range(0, 5000).Select(i => LogicalShard.ForNewUser($"user{i}")).ToList();
        Assert.All(shards, s => Assert.InRange(s, 0, ScalegramId.LogicalShardCount - 1));
        Assert.True(shards.Distinct().Count() > 3500, "5000 names should land on thousands of different shards");

        // Pinned: changing the hash would move every existing user's data.
        Assert.Equal(ExpectedAliceShard, LogicalShard.ForNewUser("alice"));
    }

    private const int ExpectedAliceShard = 6187;
}
