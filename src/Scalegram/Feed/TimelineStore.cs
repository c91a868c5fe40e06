using System.Data.Common;
using Dapper;
using Scalegram.Data;
using Scalegram.Photos;
using Scalegram.Social;

namespace Scalegram.Feed;

/// <summary>
/// Each user's home timeline (photo IDs), on the user's shard, filled by fan-out on write. The one
/// owner of the timeline table: photo and follow changes reach it as listeners, in their transaction.
/// </summary>
internal sealed class TimelineStore(Database db) : IPhotoListener, IFollowListener
{
    /// <summary>The owner sees a new photo in their own feed at once (still processing), before any fan-out.</summary>
    public Task PhotoCreatedAsync(DbTransaction tx, long photoId, long ownerId, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO timeline (user_id, photo_id, owner_id) VALUES (@ownerId, @photoId, @ownerId) ON CONFLICT DO NOTHING",
            new { photoId, ownerId }, tx, cancellationToken: ct));

    /// <summary>Removes the photo from timelines on the owner's store now; the purge job cleans the other stores.</summary>
    public Task PhotoDeletedAsync(DbTransaction tx, long photoId, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM timeline WHERE photo_id = @photoId", new { photoId }, tx, cancellationToken: ct));

    /// <summary>An unfollow takes the followee's photos out of the follower's timeline.</summary>
    public Task UnfollowedAsync(DbTransaction tx, long followerId, long followeeId, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM timeline WHERE user_id = @followerId AND owner_id = @followeeId", new { followerId, followeeId }, tx, cancellationToken: ct));

    public async Task<IReadOnlyList<long>> PageAsync(long userId, long before, int limit, CancellationToken ct)
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
