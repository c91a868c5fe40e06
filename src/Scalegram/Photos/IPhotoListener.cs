using System.Data.Common;

namespace Scalegram.Photos;

/// <summary>
/// Told of a photo's creation and deletion inside the transaction that makes them, so data derived
/// from photos (the feed's timelines) changes with them; Photos never writes another feature's tables.
/// </summary>
internal interface IPhotoListener
{
    Task PhotoCreatedAsync(DbTransaction tx, long photoId, long ownerId, CancellationToken ct);

    Task PhotoDeletedAsync(DbTransaction tx, long photoId, CancellationToken ct);

    /// <summary>After the creating transaction committed: for caches of derived data, which must not be refilled from before the commit.</summary>
    Task PhotoCommittedAsync(long photoId, long ownerId, CancellationToken ct) => Task.CompletedTask;
}
