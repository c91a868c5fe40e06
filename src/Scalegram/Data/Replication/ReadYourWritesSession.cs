using System.Collections.Concurrent;

namespace Scalegram.Data.Replication;

/// <summary>
/// One signed-in request's read-your-writes state: the WAL positions the user's earlier writes reached
/// (per store, loaded once, lazily, from wherever the web tier keeps them) and the stores this request
/// itself opened a primary connection to while writing (read from the primary for the rest of the request).
/// </summary>
internal sealed class ReadYourWritesSession(Func<CancellationToken, Task<IReadOnlyDictionary<string, Lsn>?>> load, bool tracksWrites)
{
    private readonly ConcurrentDictionary<string, byte> _written = new();
    private readonly Lock _gate = new();
    private Task<IReadOnlyDictionary<string, Lsn>?>? _marks;

    /// <summary>Stores this request wrote to (opened a primary connection on, in a request that may write).</summary>
    public IReadOnlyCollection<string> WrittenStores => [.. _written.Keys];

    /// <summary>Records that this request used the primary of <paramref name="store"/> (only requests that may write count).</summary>
    public void UsedPrimary(string store)
    {
        if (tracksWrites)
        {
            _written.TryAdd(store, 0);
        }
    }

    /// <summary>
    /// The position a standby of <paramref name="store"/> must have replayed to serve this user; null when the
    /// primary must answer (this request wrote there, or the marks could not be read).
    /// </summary>
    public async ValueTask<Lsn?> RequiredAsync(string store, CancellationToken ct)
    {
        if (_written.ContainsKey(store))
        {
            return null;
        }

        Task<IReadOnlyDictionary<string, Lsn>?> marks;
        lock (_gate)
        {
            marks = _marks ??= load(ct);
        }

        var loaded = await marks;
        return loaded is null ? null : loaded.TryGetValue(store, out var lsn) ? lsn : Lsn.Zero;
    }
}
