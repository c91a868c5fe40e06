using System.Data.Common;
using Dapper;
using Scalegram.Caching;
using Scalegram.Data;
using Scalegram.Photos;
using Scalegram.Social;

namespace Scalegram.Feed;

/// <summary>
/// Each user's home timeline (photo IDs), on the user's shard, filled by fan-out on write. The one
/// owner of the timeline table: photo and follow changes reach it as listeners, in their transaction.
/// </summary>
internal sealed class TimelineStore(Database db, EntityCache cache) : IPhotoListener, IFollowListener
{
    /// <summary>How many of a timeline's newest entries are cached (a page and its "is there more" entry, with room).</summary>
    public const int HeadSize = 64;

    public static string HeadKey(long userId) => $"timeline:{userId}";

    /// <summary>The owner sees a new photo in their own feed at once (still processing), before any fan-out.</summary>
    public Task PhotoCreatedAsync(DbTransaction tx, long photoId, long ownerId, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO timeline (user_id, photo_id, owner_id) VALUES (@ownerId, @photoId, @ownerId) ON CONFLICT DO NOTHING",
            new { photoId, ownerId }, tx, cancellationToken: ct));

    /// <summary>The owner's own feed shows the new photo at once: the cached head is dropped once the upload committed.</summary>
    public async Task PhotoCommittedAsync(long photoId, long ownerId, CancellationToken ct) => await cache.InvalidateAsync(HeadKey(ownerId), ct);

    /// <summary>Removes the photo from timelines on the owner's store now; the purge job cleans the other stores.</summary>
    public Task PhotoDeletedAsync(DbTransaction tx, long photoId, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM timeline WHERE photo_id = @photoId", new { photoId }, tx, cancellationToken: ct));

    /// <summary>An unfollow takes the followee's photos out of the follower's timeline (and drops its cached head).</summary>
    public async Task UnfollowedAsync(DbTransaction tx, long followerId, long followeeId, CancellationToken ct)
    {
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM timeline WHERE user_id = @followerId AND owner_id = @followeeId", new { followerId, followeeId }, tx, cancellationToken: ct));
        await cache.InvalidateAsync(HeadKey(followerId), ct);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> photo IDs older than <paramref name="before"/>, newest first. Pages within the
    /// newest <see cref="HeadSize"/> entries come from the cached head (one read per user until a write drops it:
    /// fan-out, backfill, the user's own upload, an unfollow); deleted photos in it are skipped by the feed's photo read.
    /// </summary>
    public async Task<IReadOnlyList<long>> PageAsync(long userId, long before, int limit, CancellationToken ct)
    {
        if (limit <= HeadSize && await cache.GetOrLoadAsync(HeadKey(userId), token => LoadHeadAsync(userId, token), ct) is { } head)
        {
            var older = head.Ids.Where(id => id < before).Take(limit).ToList();
            if (older.Count == limit || head.Complete)
            {
                return older;
            }
        }

        return await ReadAsync(userId, before, limit, ct);
    }

    private async Task<TimelineHead?> LoadHeadAsync(long userId, CancellationToken ct)
    {
        var ids = await ReadAsync(userId, long.MaxValue, HeadSize, ct);
        return new TimelineHead([.. ids], ids.Count < HeadSize);
    }

    private async Task<IReadOnlyList<long>> ReadAsync(long userId, long before, int limit, CancellationToken ct)
    {
        var rows = await db.ForId(userId).Replica.ReadAsync(
            (connection, token) => connection.QueryAsync<long>(new CommandDefinition(
                "SELECT photo_id FROM timeline WHERE user_id = @userId AND photo_id < @before ORDER BY photo_id DESC LIMIT @limit",
                new { userId, before, limit },
                cancellationToken: token)),
            ct);
        return rows.AsList();
    }

    /// <summary>Adds one photo to many timelines, one statement per store; repeats are ignored.</summary>
    public async Task AddAsync(IEnumerable<long> userIds, long photoId, long ownerId, CancellationToken ct)
    {
        foreach (var group in userIds.GroupBy(db.ForId))
        {
            await using var connection = await group.Key.Primary.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO timeline (user_id, photo_id, owner_id) VALUES (@userId, @photoId, @ownerId) ON CONFLICT DO NOTHING",
                group.Select(userId => new { userId, photoId, ownerId }),
                tx,
                cancellationToken: ct));
            await tx.CommitAsync(ct);
            foreach (var userId in group)
            {
                await cache.InvalidateAsync(HeadKey(userId), ct);
            }
        }
    }

    public async Task AddManyAsync(long userId, IEnumerable<(long PhotoId, long OwnerId)> photos, CancellationToken ct)
    {
        await using var connection = await db.ForId(userId).Primary.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO timeline (user_id, photo_id, owner_id) VALUES (@userId, @PhotoId, @OwnerId) ON CONFLICT DO NOTHING",
            photos.Select(p => new { userId, p.PhotoId, p.OwnerId }),
            tx,
            cancellationToken: ct));
        await tx.CommitAsync(ct);
        await cache.InvalidateAsync(HeadKey(userId), ct);
    }

    /// <summary>Removes a deleted photo from every timeline on every store.</summary>
    public async Task RemoveEverywhereAsync(long photoId, CancellationToken ct)
    {
        foreach (var store in db.Stores)
        {
            await using var connection = await store.Primary.OpenAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM timeline WHERE photo_id = @photoId", new { photoId }, cancellationToken: ct));
        }
    }

    /// <summary>
    /// Deletes a batch of timeline entries on one store that a (deleted) user owns or whose photos they are;
    /// returns how many went.
    /// </summary>
    public static async Task<int> DeleteOfUserBatchAsync(PhysicalStore on, long userId, int limit, CancellationToken ct)
    {
        await using var connection = await on.Primary.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM timeline WHERE (user_id, photo_id) IN (
                SELECT user_id, photo_id FROM timeline WHERE user_id = @userId OR owner_id = @userId LIMIT @limit)
            """,
            new { userId, limit },
            cancellationToken: ct));
    }
}

/// <summary>The newest entries of a timeline as cached; <see cref="Complete"/> when the timeline has no more.</summary>
internal sealed record TimelineHead(long[] Ids, bool Complete);
