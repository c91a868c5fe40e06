using Scalegram.Caching;
using Scalegram.Data;
using Scalegram.Data.Ids;
using Scalegram.Jobs;
using Scalegram.Messaging;
using Scalegram.Storage;

namespace Scalegram.Photos;

/// <summary>
/// What a deleted account leaves in Photos, removed a batch at a time (Workers/AccountEraser drives it): its
/// photos (rows, likes and comments on them, with photo.purge and cdn.purge enqueued in the same transaction,
/// so each photo's purge is sent exactly once), then its likes and comments on other people's photos.
/// Every call removes what is left, so a rerun after a crash resumes where the last commit ended.
/// </summary>
internal sealed class PhotoErasure(Database db, PhotoStore store, IBlobStore blobs, Outbox outbox, EntityCache cache, IEnumerable<IPhotoListener> listeners)
{
    /// <summary>Deletes up to <paramref name="limit"/> of the owner's photos (any status) in one transaction; returns how many.</summary>
    public async Task<int> DeleteOwnedBatchAsync(long ownerId, int limit, CancellationToken ct)
    {
        var photos = await store.ListByOwnerAsync(ownerId, long.MaxValue, limit, includeUnfinished: true, ct, fromPrimary: true);
        if (photos.Count == 0)
        {
            return 0;
        }

        var keys = new List<string>();
        await using (var connection = await db.ForId(ownerId).Primary.OpenAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            foreach (var photo in photos)
            {
                if (await store.DeleteAsync(tx, photo.Id, ct) is not { } deleted)
                {
                    continue;
                }

                var photoKeys = PhotoService.BlobKeysOf(deleted);
                keys.AddRange(photoKeys);
                foreach (var listener in listeners)
                {
                    await listener.PhotoDeletedAsync(tx, photo.Id, ct);
                }

                await outbox.EnqueueAsync(tx, ScalegramId.ShardOf(photo.Id), JobTypes.PurgePhoto, new PurgePhotoJob(photo.Id, photoKeys), ct);
                await outbox.EnqueueAsync(tx, ScalegramId.ShardOf(photo.Id), JobTypes.PurgeEdge, new PurgePhotoJob(photo.Id, photoKeys), ct);
            }

            await outbox.CommitAsync(tx, ct);
        }

        foreach (var photo in photos)
        {
            await cache.InvalidateAsync(PhotoCacheKeys.Photo(photo.Id), ct);
        }

        // The purge jobs delete them too; deleting now means nobody can fetch them from the origin meanwhile.
        foreach (var key in keys.Where(BlobKey.IsValid))
        {
            await blobs.DeleteAsync(key, ct);
        }

        return photos.Count;
    }

    /// <summary>Deletes a batch of the user's likes on one store (each takes one off its photo's like counters in the same transaction); returns how many.</summary>
    public async Task<int> DeleteLikesBatchAsync(PhysicalStore on, long userId, int limit, CancellationToken ct) =>
        await ForgetCachedAsync(await PhotoStore.DeleteLikesByAsync(on, userId, limit, ct), ct);

    /// <summary>Deletes a batch of the user's comments on one store; returns how many.</summary>
    public async Task<int> DeleteCommentsBatchAsync(PhysicalStore on, long userId, int limit, CancellationToken ct) =>
        await ForgetCachedAsync(await PhotoStore.DeleteCommentsByAsync(on, userId, limit, ct), ct);

    /// <summary>Cached photos carry their like and comment counts: drop those of the photos touched.</summary>
    private async Task<int> ForgetCachedAsync(IReadOnlyList<long> photoIds, CancellationToken ct)
    {
        foreach (var photoId in photoIds.Distinct())
        {
            await cache.InvalidateAsync(PhotoCacheKeys.Photo(photoId), ct);
        }

        return photoIds.Count;
    }
}
