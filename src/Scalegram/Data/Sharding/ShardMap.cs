using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Scalegram.Data.Ids;

namespace Scalegram.Data.Sharding;

/// <summary>
/// Places each of the 8192 logical shards on a physical store. Placement is rendezvous
/// (highest-random-weight) hashing, so adding a store moves only the shards it wins.
/// </summary>
internal sealed class ShardMap
{
    private readonly int[] _placement;

    public ShardMap(IReadOnlyList<string> storeNames)
    {
        if (storeNames.Count == 0)
        {
            throw new ArgumentException("A shard map needs at least one store.", nameof(storeNames));
        }

        StoreNames = storeNames;
        _placement = new int[ScalegramId.LogicalShardCount];
        for (var shard = 0; shard < _placement.Length; shard++)
        {
            var best = 0;
            ulong bestWeight = 0;
            for (var store = 0; store < storeNames.Count; store++)
            {
                var weight = Weight(shard, storeNames[store]);
                if (store == 0 || weight > bestWeight)
                {
                    best = store;
                    bestWeight = weight;
                }
            }

            _placement[shard] = best;
        }
    }

    public IReadOnlyList<string> StoreNames { get; }

    /// <summary>Index of the physical store that holds <paramref name="logicalShard"/>.</summary>
    public int StoreOf(int logicalShard) => _placement[logicalShard];

    /// <summary>Index of the physical store that holds whatever <paramref name="id"/> names.</summary>
    public int StoreOfId(long id) => _placement[ScalegramId.ShardOf(id)];

    public int CountOn(int store) => _placement.Count(s => s == store);

    private static ulong Weight(int shard, string store)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{store}/{shard}"), digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }
}
