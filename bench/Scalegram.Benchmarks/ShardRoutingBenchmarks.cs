using BenchmarkDotNet.Attributes;
using Scalegram.Data.Sharding;

namespace Scalegram.Benchmarks;

/// <summary>Shard routing: hashing a username to its logical shard, and a logical shard or ID to its store.</summary>
[MemoryDiagnoser]
public class ShardRoutingBenchmarks
{
    private ShardMap _map = null!;
    private long _id;

    [Params(1, 4, 16)]
    public int Stores { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _map = new ShardMap(Enumerable.Range(0, Stores).Select(i => $"store{i}").ToList());
        _id = Scalegram.Data.Ids.ScalegramId.Compose(1_000_000, 4321, 0);
    }

    [Benchmark]
    public int LogicalShardForNewUser() => LogicalShard.ForNewUser("some_username_42");

    [Benchmark]
    public int StoreOfId() => _map.StoreOfId(_id);

    /// <summary>Building the map (rendezvous hashing over 8192 shards) happens at start-up and on resharding.</summary>
    [Benchmark]
    public int BuildMap() => new ShardMap(_map.StoreNames).StoreOf(0);
}
