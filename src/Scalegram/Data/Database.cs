using Scalegram.Data.Ids;
using Scalegram.Data.Sharding;

namespace Scalegram.Data;

/// <summary>
/// The database tier as the app sees it: the physical stores and the shard map over them.
/// Shard routing happens here and nowhere else.
/// </summary>
internal sealed class Database(IReadOnlyList<PhysicalStore> stores, ShardMap map) : IAsyncDisposable
{
    public IReadOnlyList<PhysicalStore> Stores { get; } = stores;

    public ShardMap Map { get; } = map;

    /// <summary>The store holding global data: the username directory and sessions.</summary>
    public PhysicalStore Directory => Stores[0];

    public PhysicalStore ForShard(int logicalShard) => Stores[Map.StoreOf(logicalShard)];

    /// <summary>The store holding whatever this ID names (and everything its owner owns).</summary>
    public PhysicalStore ForId(long id) => Stores[Map.StoreOfId(id)];

    public int ShardOf(long id) => ScalegramId.ShardOf(id);

    /// <summary>True when some store has replica nodes (the read/write split is in play).</summary>
    public bool Replicated => Stores.Any(s => s.Replicas is not null);

    /// <summary>Closes the connection pools (PostgreSQL data sources) when the node stops.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var endpoint in Stores.Select(s => s.Primary).OfType<IAsyncDisposable>())
        {
            await endpoint.DisposeAsync();
        }

        foreach (var set in Stores.Select(s => s.Replicas).OfType<IAsyncDisposable>())
        {
            await set.DisposeAsync();
        }
    }
}
