using System.Security.Cryptography;

namespace Scalegram.Data.Ids;

/// <summary>Mints sortable IDs for a given logical shard; thread-safe, never repeats within a process.</summary>
internal sealed class IdGenerator(TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _lastMillis = -1;

    // The sequence does not restart each millisecond at zero but at a random point, so two
    // processes minting in the same millisecond for the same shard rarely collide.
    private int _sequence = RandomNumberGenerator.GetInt32(ScalegramId.MaxSequence + 1);
    private int _issuedThisMillis;

    public long Next(int logicalShard)
    {
        lock (_gate)
        {
            var now = Math.Max(Millis(), _lastMillis);
            if (now == _lastMillis)
            {
                if (++_issuedThisMillis > ScalegramId.MaxSequence)
                {
                    // 1024 IDs in one millisecond: borrow the next millisecond rather than repeat.
                    now = _lastMillis + 1;
                    _issuedThisMillis = 0;
                }
            }
            else
            {
                _issuedThisMillis = 0;
            }

            _lastMillis = now;
            _sequence = (_sequence + 1) & ScalegramId.MaxSequence;
            return ScalegramId.Compose(now, logicalShard, _sequence);
        }
    }

    private long Millis() => (long)(time.GetUtcNow() - ScalegramId.Epoch).TotalMilliseconds;
}
