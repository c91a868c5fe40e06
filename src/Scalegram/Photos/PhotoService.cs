using System.Globalization;
using System.Runtime.CompilerServices;
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
internal sealed class PhotoService(
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
    /// <summary>Public variants' DTOs per cached photo record, and the edge state they were made under.</summary>
    private static readonly ConditionalWeakTable<PhotoRecord, PublicVariantsMemo> PublicVariants = new();

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

    public async Task<PhotoDto?> GetDtoAsync(long photoId, long? viewerId, CancellationToken ct)
    {
        var photo = await GetVisibleAsync(photoId, viewerId, ct);
        return photo is null ? null : (await ToDtosAsync([photo], viewerId, ct))[0];
    }

    public async Task<IReadOnlyList<PhotoDto>> ToDtosAsync(IReadOnlyList<PhotoRecord> photos, long? viewerId, CancellationToken ct)
    {
        // The owners and their privacy in a batch each: a constant number of store calls whatever the page size.
        var ownerIds = photos.Select(p => p.OwnerId).Distinct().ToList();
        var owners = await accounts.GetUsersAsync(ownerIds, ct);
        var privateOwners = await audience.PrivateAmongAsync(ownerIds, ct);

        var result = new List<PhotoDto>(photos.Count);
        var likedByViewer = viewerId is { } viewer ? await LikedAmongAsync(photos, viewer, ct) : null;
        foreach (var p in photos)
        {
            var owner = owners.GetValueOrDefault(p.OwnerId);
            bool? liked = likedByViewer?.Contains(p.Id);

            // A private account's media only ever leave as short-lived signed URLs, made per answer; a public
            // photo's URLs are the same for every reader while the edge's health stays the same, so they are made
            // once per cached record (the memo goes with the record when the cache drops or replaces it).
            IReadOnlyList<VariantDto> variants;
            if (privateOwners.Contains(p.OwnerId))
            {
                variants = await VariantsAsync(p, signed: true, ct);
            }
            else
            {
                var edgeUp = media.EdgeUp;
                if (!PublicVariants.TryGetValue(p, out var memo) || memo.EdgeUp != edgeUp)
                {
                    memo = new PublicVariantsMemo(edgeUp, await VariantsAsync(p, signed: false, ct));
                    PublicVariants.AddOrUpdate(p, memo);
                }

                variants = memo.Variants;
            }

            result.Add(new PhotoDto(
                Id: p.Id.ToString(CultureInfo.InvariantCulture),
                Owner: new UserSummary(p.OwnerId.ToString(CultureInfo.InvariantCulture), owner?.Username ?? "", owner?.DisplayName ?? ""),
                Caption: p.Caption,
                Filter: p.Filter ?? Filters.None,
                Status: p.Status,
                FailureReason: p.FailureReason,
                Variants: variants,
                Likes: p.Likes,
                Comments: p.Comments,
                LikedByMe: liked,
                CreatedAt: DateTimeOffset.FromUnixTimeMilliseconds(p.CreatedAt),
                Placeholder: p.Placeholder));
        }

        return result;
    }

    private async Task<IReadOnlyList<VariantDto>> VariantsAsync(PhotoRecord photo, bool signed, CancellationToken ct)
    {
        var variants = new List<VariantDto>(photo.VariantList.Count);
        foreach (var x in photo.VariantList)
        {
            var url = signed ? await media.SignedForAsync(x.Key, ct) : media.For(x.Key);
            var sources = new List<SourceDto>((x.Alternates?.Count ?? 0) + 1);
            foreach (var alternate in x.Alternates ?? [])
            {
                sources.Add(new SourceDto(alternate.Type, signed ? await media.SignedForAsync(alternate.Key, ct) : media.For(alternate.Key)));
            }

            sources.Add(new SourceDto(ImageFormat.Jpeg.MediaType, url));
            variants.Add(new VariantDto(x.Name, x.Width, x.Height, url, sources));
        }

        return variants;
    }

    /// <summary>
    /// Which of these photos the viewer likes, through the cache (one entry per viewer and photo, kept exact by the
    /// viewer's own like/unlike on every node): a feed page's likes cost L1 lookups, not a query per page.
    /// </summary>
    private async Task<HashSet<long>> LikedAmongAsync(IReadOnlyList<PhotoRecord> photos, long viewer, CancellationToken ct)
    {
        var marks = await batch.GetOrLoadManyAsync<long, string>(
            photos.Select(p => p.Id),
            id => PhotoCacheKeys.Liked(viewer, id),
            async (ids, token) => (IReadOnlyDictionary<long, string>)(await store.LikedAmongAsync(ids, viewer, token)).ToDictionary(id => id, _ => PhotoCacheKeys.LikedMark),
            ct);
        return [.. marks.Where(m => m.Value is not null).Select(m => m.Key)];
    }

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

    /// <summary>Comments as sent; those of an account deleted a moment ago (not yet erased) are left out.</summary>
    public async Task<IReadOnlyList<CommentDto>> CommentDtosAsync(IReadOnlyList<CommentRecord> comments, CancellationToken ct)
    {
        var result = new List<CommentDto>(comments.Count);
        var authors = await accounts.GetUsersAsync(comments.Select(c => c.AuthorId), ct);
        foreach (var c in comments)
        {
            var author = authors.GetValueOrDefault(c.AuthorId);
            if (author is null)
            {
                continue; // a deleted account: its comments go with it
            }

            result.Add(new CommentDto(
                c.Id.ToString(CultureInfo.InvariantCulture),
                new UserSummary(c.AuthorId.ToString(CultureInfo.InvariantCulture), author?.Username ?? "", author?.DisplayName ?? ""),
                c.Text,
                DateTimeOffset.FromUnixTimeMilliseconds(c.CreatedAt)));
        }

        return result;
    }

    public static IReadOnlyList<string> BlobKeysOf(PhotoRecord photo) =>
        [photo.OriginalKey, .. PhotoJson.ReadVariants(photo.Variants).SelectMany(v => v.AllKeys)];

    private static async Task<string> HashPrefixAsync(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct))[..20];
    }
}

/// <summary>What happened to a delete request.</summary>
internal enum DeleteOutcome
{
    Deleted,
    NotFound,
    Forbidden,
}
