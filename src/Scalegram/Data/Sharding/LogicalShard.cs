using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Scalegram.Data.Ids;

namespace Scalegram.Data.Sharding;

/// <summary>Chooses a new user's logical shard: a stable, well-spread hash of the normalised username.</summary>
internal static class LogicalShard
{
    public static int ForNewUser(string normalizedUsername)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(normalizedUsername), digest);
        return (int)(BinaryPrimitives.ReadUInt32LittleEndian(digest) % ScalegramId.LogicalShardCount);
    }
}
