using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Scalegram.Accounts;
using Scalegram.Caching;
using Scalegram.Cdn;
using Scalegram.Data;
using Scalegram.Data.Ids;
using Scalegram.Data.Replication;
using Scalegram.Imaging;
using Scalegram.Jobs;
using Scalegram.Messaging;
using Scalegram.Observability;
using Scalegram.Storage;

namespace Scalegram.Photos;

/// <summary>Uploads, reads, deletes, likes and comments on photos.</summary>
internal sealed partial class PhotoService(
    Database db,
    PhotoStore store,
    AccountService accounts,
    IBlobStore blobs,
    Outbox outbox,
    IdGenerator ids,
    EntityCache cache,
    EntityBatchCache batch,
    CounterRefresh counters,
    MediaUrls media,
    IPhotoAudience audience,
    TimeProvider time,
    IOptions<PhotoOptions> options,
    IEnumerable<IPhotoListener> listeners,
    ScalegramMetrics metrics)
{
    /// <summary>
    /// Checks the header, stores the original, then records the photo and its processing job
    /// in one transaction. Returns the new photo's ID, or the reason it was refused.
    /// </summary>
    public async Task<(long? PhotoId, string? ErrorCode, string? Error)> UploadAsync(long ownerId, UploadForm form, WriteKey? key, CancellationToken ct)
    {
        ImageHeader header;
        try
        {
            header = ImageProbe.Probe(form.TempPath, options.Value.MaxPixels);
        }
        catch (ImageRejected e)
        {
            return (null, e.Code, e.Message);
        }

        if (form.Crop is { } crop && !crop.FitsIn(header.DisplayWidth, header.DisplayHeight))
        {
            return (null, "invalid-crop", $"The crop {crop} does not fit inside the {header.DisplayWidth}×{header.DisplayHeight} image.");
        }

        // A preview for the "processing" panel, from the spooled original while it is at hand (milliseconds; null when not cheap).
        var placeholder = Placeholder.FromOriginal(form.TempPath, form.Format, header, form.Crop, ct);
        var photoId = ids.Next(ScalegramId.ShardOf(ownerId));
        var originalKey = $"originals/{photoId}-{await HashPrefixAsync(form.TempPath, ct)}.{form.Format.Extension}";
        await using (var file = File.OpenRead(form.TempPath))
        {
            await blobs.PutAsync(originalKey, file, ct);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var record = new PhotoRecord
        {
            Id = photoId,
            OwnerId = ownerId,
            Caption = form.Caption,
            Filter = form.Filter,
            Crop = form.Crop?.ToString(),
            Status = PhotoStatus.Processing,
            OriginalKey = originalKey,
            Placeholder = placeholder,
            CreatedAt = now,
        };
        try
        {
            var home = db.ForId(photoId);
            await using var connection = await home.Primary.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            if (key is not null && await WriteKeys.ClaimAsync(tx, key, photoId, now, ct) is { } earlier)
            {
                // An earlier run of this keyed upload committed (its answer was lost): that photo is the answer.
                await tx.RollbackAsync(ct);
                await blobs.DeleteAsync(originalKey, CancellationToken.None);
                return (earlier, null, null);
            }

            await store.InsertAsync(tx, record, now, ct);
            foreach (var listener in listeners)
            {
                await listener.PhotoCreatedAsync(tx, photoId, ownerId, ct);
            }

            await outbox.EnqueueAsync(tx, ScalegramId.ShardOf(photoId), JobTypes.ProcessPhoto, new PhotoJob(photoId), ct);
            await outbox.CommitAsync(tx, ct);
        }
        catch
        {
            // Not committed, so nothing refers to the original: remove it, even if the request was cancelled.
            await blobs.DeleteAsync(originalKey, CancellationToken.None);
            throw;
        }

        await cache.InvalidateAsync(AccountCacheKeys.Counts(ownerId), ct);
        foreach (var listener in listeners)
        {
            await listener.PhotoCommittedAsync(photoId, ownerId, ct);
        }

        metrics.Business("upload");
        return (photoId, null, null);
    }

    public Task<PhotoRecord?> GetAsync(long photoId, CancellationToken ct) =>
        cache.GetOrLoadAsync(PhotoCacheKeys.Photo(photoId), token => store.GetAsync(photoId, token), ct);

    /// <summary>Many photos through the cache: the cached ones from it, the rest with one query per store.</summary>
    public Task<Dictionary<long, PhotoRecord?>> GetManyAsync(IEnumerable<long> photoIds, CancellationToken ct) =>
        batch.GetOrLoadManyAsync<long, PhotoRecord>(photoIds, PhotoCacheKeys.Photo, store.GetManyAsync, ct);

    /// <summary>Of these owners, those whose photos <paramref name="viewerId"/> may see: a constant number of store calls.</summary>
    public Task<IReadOnlySet<long>> VisibleOwnersAsync(long? viewerId, IReadOnlyCollection<long> ownerIds, CancellationToken ct) =>
        audience.VisibleOwnersAsync(viewerId, ownerIds, ct);

    /// <summary>
    /// The photo if it exists and <paramref name="viewerId"/> may see it, else null (not-found and not-allowed look
    /// the same): a private account's photos only to the owner and approved followers, and a photo still
    /// processing or failed (its reason carries the decoder's error) only to its owner.
    /// </summary>
    public async Task<PhotoRecord?> GetVisibleAsync(long photoId, long? viewerId, CancellationToken ct) =>
        await GetAsync(photoId, ct) is { } photo && IsVisibleTo(photo, viewerId) && await audience.CanSeeAsync(viewerId, photo.OwnerId, ct) ? photo : null;

    /// <summary>Anyone may see a ready photo (as far as its status goes); only its owner one still processing or failed.</summary>
    public static bool IsVisibleTo(PhotoRecord photo, long? viewerId) => photo.Status == PhotoStatus.Ready || photo.OwnerId == viewerId;

    public Task<bool> CanSeeOwnerAsync(long? viewerId, long ownerId, CancellationToken ct) => audience.CanSeeAsync(viewerId, ownerId, ct);

    /// <summary>Deletes a photo if <paramref name="userId"/> owns it; its blobs go at once, and a job makes sure of it.</summary>
    public async Task<DeleteOutcome> DeleteAsync(long photoId, long userId, CancellationToken ct)
    {
        var photo = await store.GetAsync(photoId, ct, fromPrimary: true);
        if (photo is null)
        {
            return DeleteOutcome.NotFound;
        }

        if (photo.OwnerId != userId)
        {
            return DeleteOutcome.Forbidden;
        }

        var keys = BlobKeysOf(photo);
        await using (var connection = await db.ForId(photoId).Primary.OpenAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await store.DeleteAsync(tx, photoId, ct);
            foreach (var listener in listeners)
            {
                await listener.PhotoDeletedAsync(tx, photoId, ct);
            }

            await outbox.EnqueueAsync(tx, ScalegramId.ShardOf(photoId), JobTypes.PurgePhoto, new PurgePhotoJob(photoId, keys), ct);
            await outbox.EnqueueAsync(tx, ScalegramId.ShardOf(photoId), JobTypes.PurgeEdge, new PurgePhotoJob(photoId, keys), ct);
            await outbox.CommitAsync(tx, ct);
        }

        await cache.InvalidateAsync(PhotoCacheKeys.Photo(photoId), ct);
        await cache.InvalidateAsync(AccountCacheKeys.Counts(userId), ct);
        foreach (var key in keys)
        {
            await blobs.DeleteAsync(key, ct);
        }

        return DeleteOutcome.Deleted;
    }

    public async Task<bool> LikeAsync(long photoId, long userId, bool like, CancellationToken ct)
    {
        if (await store.GetAsync(photoId, ct, fromPrimary: true) is not { } photo || !IsVisibleTo(photo, userId) || !await audience.CanSeeAsync(userId, photo.OwnerId, ct))
        {
            return false;
        }

        var changed = await store.LikeAsync(photoId, userId, time.GetUtcNow().ToUnixTimeMilliseconds(), like, ct);

        // The liker's own mark changes whatever the count did (read-your-writes for their next page, every node): a
        // like publishes it, an unlike drops it (the next read loads "not liked" from the primary). A page of theirs
        // loading at the same moment may put the old state back after this, so the mark is re-read from the
        // primary once more at the next counter flush.
        await PublishLikedAsync(photoId, userId, like, ct);
        counters.MarkDirty(PhotoCacheKeys.Liked(userId, photoId), async token =>
        {
            using (ReadScope.Fresh())
            {
                await PublishLikedAsync(photoId, userId, (await store.LikedAmongAsync([photoId], userId, token)).Contains(photoId), token);
            }
        });
        if (!changed)
        {
            return true; // Already so: the count did not move.
        }

        if (like)
        {
            metrics.Business("like");
        }

        // The cached photo is replaced by a fresh read rather than dropped, so readers of a hot photo keep hitting
        // L1 through a burst of likes; concurrent likers may publish out of order, so the key is also re-read
        // once per Caching:CounterFlushInterval until the burst is over (the count is then exact).
        await RepublishAsync(photoId, ct);
        counters.MarkDirty(PhotoCacheKeys.Photo(photoId), token => RepublishAsync(photoId, token));
        return true;
    }

    private Task PublishLikedAsync(long photoId, long userId, bool liked, CancellationToken ct) =>
        liked ? cache.SetAsync(PhotoCacheKeys.Liked(userId, photoId), PhotoCacheKeys.LikedMark, ct) : cache.InvalidateAsync(PhotoCacheKeys.Liked(userId, photoId), ct);

    /// <summary>Reads the photo from the primary and puts it in the cache (or drops the key if it is gone).</summary>
    private async Task RepublishAsync(long photoId, CancellationToken ct)
    {
        if (await store.GetAsync(photoId, ct, fromPrimary: true) is { } fresh)
        {
            await cache.SetAsync(PhotoCacheKeys.Photo(photoId), fresh, ct);
        }
        else
        {
            await cache.InvalidateAsync(PhotoCacheKeys.Photo(photoId), ct);
        }
    }

    public async Task<CommentRecord?> CommentAsync(long photoId, long userId, string text, WriteKey? key, CancellationToken ct)
    {
        if (await store.GetAsync(photoId, ct, fromPrimary: true) is { } photo && (!IsVisibleTo(photo, userId) || !await audience.CanSeeAsync(userId, photo.OwnerId, ct)))
        {
            return null;
        }

        var comment = new CommentRecord
        {
            Id = ids.Next(ScalegramId.ShardOf(photoId)),
            PhotoId = photoId,
            AuthorId = userId,
            Text = text,
            CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        if (await store.AddCommentAsync(comment, key, ct) is not { } added)
        {
            return null;
        }

        if (added.Id != comment.Id)
        {
            return added; // An earlier run of this keyed request committed it: nothing new to announce.
        }

        await cache.InvalidateAsync(PhotoCacheKeys.Photo(photoId), ct);
        metrics.Business("comment");
        return comment;
    }

    /// <summary>
    /// Deletes a comment if <paramref name="userId"/> wrote it or owns the photo. A photo the user may not
    /// see answers NotFound (its comments' existence is not told); a visible comment of someone else, Forbidden.
    /// </summary>
    public async Task<DeleteOutcome> DeleteCommentAsync(long photoId, long commentId, long userId, CancellationToken ct)
    {
        if (await store.GetAsync(photoId, ct, fromPrimary: true) is not { } photo || !IsVisibleTo(photo, userId) || !await audience.CanSeeAsync(userId, photo.OwnerId, ct))
        {
            return DeleteOutcome.NotFound;
        }

        if (await store.GetCommentAsync(photoId, commentId, ct) is not { } comment)
        {
            return DeleteOutcome.NotFound;
        }

        if (comment.AuthorId != userId && photo.OwnerId != userId)
        {
            return DeleteOutcome.Forbidden;
        }

        if (!await store.DeleteCommentAsync(photoId, commentId, ct))
        {
            return DeleteOutcome.NotFound;
        }

        await cache.InvalidateAsync(PhotoCacheKeys.Photo(photoId), ct);
        metrics.Business("comment-delete");
        return DeleteOutcome.Deleted;
    }

    public static IReadOnlyList<string> BlobKeysOf(PhotoRecord photo) =>
        [photo.OriginalKey, .. PhotoJson.ReadVariants(photo.Variants).SelectMany(v => v.AllKeys)];

    private static async Task<string> HashPrefixAsync(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct))[..20];
    }
}
