using Dapper;
using Scalegram.Caching;
using Scalegram.Data;

namespace Scalegram.Social;

/// <summary>
/// What a deleted account leaves in Social, removed a batch at a time on each store (Workers/AccountEraser
/// drives it): follow edges both ways, in both copies (the follower's "following" truth and the followee's
/// "followers" mirror, wherever each lives), follow requests it made or received, and its privacy setting.
/// Each call removes what is left, so a rerun resumes where the last commit ended.
/// </summary>
internal sealed class SocialErasure(Database db, EntityCache cache, IEnumerable<IFollowListener> listeners)
{
    /// <summary>
    /// Deletes a batch of "following" rows on one store in which the user follows or is followed (the other
    /// side's timeline loses the followee's photos in the same transaction); returns how many went.
    /// </summary>
    public async Task<int> DeleteFollowingBatchAsync(PhysicalStore on, long userId, int limit, CancellationToken ct)
    {
        List<(long UserId, long FolloweeId)> edges;
        await using (var connection = await on.Primary.OpenAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            edges = (await connection.QueryAsync<(long, long)>(new CommandDefinition(
                """
                DELETE FROM following WHERE (user_id, followee_id) IN (
                    SELECT user_id, followee_id FROM following WHERE user_id = @userId OR followee_id = @userId LIMIT @limit)
                RETURNING user_id, followee_id
                """,
                new { userId, limit },
                tx,
                cancellationToken: ct))).AsList();
            foreach (var (follower, followee) in edges)
            {
                foreach (var listener in listeners)
                {
                    await listener.UnfollowedAsync(tx, follower, followee, ct);
                }
            }

            await tx.CommitAsync(ct);
        }

        await ForgetCountsAsync(edges.SelectMany(e => new[] { e.UserId, e.FolloweeId }), ct);
        return edges.Count;
    }

    /// <summary>Deletes a batch of "followers" mirror rows on one store in which the user is either side; returns how many went.</summary>
    public async Task<int> DeleteFollowersBatchAsync(PhysicalStore on, long userId, int limit, CancellationToken ct)
    {
        await using var connection = await on.Primary.OpenAsync(ct);
        var edges = (await connection.QueryAsync<(long, long)>(new CommandDefinition(
            """
            DELETE FROM followers WHERE (user_id, follower_id) IN (
                SELECT user_id, follower_id FROM followers WHERE user_id = @userId OR follower_id = @userId LIMIT @limit)
            RETURNING user_id, follower_id
            """,
            new { userId, limit },
            cancellationToken: ct))).AsList();
        await ForgetCountsAsync(edges.SelectMany(e => new[] { e.Item1, e.Item2 }), ct);
        return edges.Count;
    }

    /// <summary>Deletes a batch of follow requests on one store that the user made or received; returns how many went.</summary>
    public static async Task<int> DeleteRequestsBatchAsync(PhysicalStore on, long userId, int limit, CancellationToken ct)
    {
        await using var connection = await on.Primary.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM follow_requests WHERE (user_id, requester_id) IN (
                SELECT user_id, requester_id FROM follow_requests WHERE user_id = @userId OR requester_id = @userId LIMIT @limit)
            """,
            new { userId, limit },
            cancellationToken: ct));
    }

    public async Task DeletePrivacyAsync(long userId, CancellationToken ct)
    {
        await using (var connection = await db.ForId(userId).Primary.OpenAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM account_privacy WHERE user_id = @userId", new { userId }, cancellationToken: ct));
        }

        await cache.InvalidateAsync(PrivacyStore.CacheKey(userId), ct);
    }

    /// <summary>Profiles show follower and following counts: drop the cached ones of everyone on either side.</summary>
    private async Task ForgetCountsAsync(IEnumerable<long> userIds, CancellationToken ct)
    {
        foreach (var id in userIds.Distinct())
        {
            await cache.InvalidateAsync(Accounts.AccountCacheKeys.Counts(id), ct);
        }
    }
}
