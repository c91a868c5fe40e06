using System.Data.Common;
using Dapper;
using Scalegram.Data;

namespace Scalegram.Social;

/// <summary>
/// Follow edges, stored on both sides: "following" on the follower's shard (the truth),
/// "followers" on the followee's shard (a mirror, reconciled from the truth).
/// </summary>
internal sealed class FollowStore(Database db)
{
    public async Task<bool> AddFollowingAsync(DbTransaction tx, long followerId, long followeeId, long now, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO following (user_id, followee_id, created_at) VALUES (@followerId, @followeeId, @now) ON CONFLICT DO NOTHING",
            new { followerId, followeeId, now }, tx, cancellationToken: ct)) == 1;

    public async Task<bool> RemoveFollowingAsync(DbTransaction tx, long followerId, long followeeId, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM following WHERE user_id = @followerId AND followee_id = @followeeId",
            new { followerId, followeeId }, tx, cancellationToken: ct)) > 0;

    public async Task<bool> IsFollowingAsync(long followerId, long followeeId, CancellationToken ct, bool fromPrimary = false)
    {
        var store = db.ForId(followerId);
        return await (fromPrimary ? store.Primary : store.Replica).ReadAsync(
            (connection, token) => connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM following WHERE user_id = @followerId AND followee_id = @followeeId", new { followerId, followeeId }, cancellationToken: token)),
            ct) > 0;
    }

    /// <summary>Which of <paramref name="followeeIds"/> the follower follows: one query on the follower's shard.</summary>
    public async Task<IReadOnlySet<long>> FollowingAmongAsync(long followerId, IReadOnlyCollection<long> followeeIds, CancellationToken ct)
    {
        var store = db.ForId(followerId);
        var rows = await store.Replica.ReadAsync(
            (connection, token) => connection.QueryAsync<long>(new CommandDefinition(
                $"SELECT followee_id FROM following WHERE user_id = @followerId AND followee_id {store.Dialect.MatchesAny("@ids")}",
                new { followerId, ids = followeeIds.Distinct().ToArray() },
                cancellationToken: token)),
            ct);
        return rows.ToHashSet();
    }

    /// <summary>Makes the followee's mirror row match the follower's truth; safe to repeat and to run out of order.</summary>
    public async Task ReconcileMirrorAsync(long followerId, long followeeId, long now, CancellationToken ct)
    {
        var following = await IsFollowingAsync(followerId, followeeId, ct, fromPrimary: true);
        await using var connection = await db.ForId(followeeId).Primary.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            following
                ? "INSERT INTO followers (user_id, follower_id, created_at) VALUES (@followeeId, @followerId, @now) ON CONFLICT DO NOTHING"
                : "DELETE FROM followers WHERE user_id = @followeeId AND follower_id = @followerId",
            new { followerId, followeeId, now },
            cancellationToken: ct));
    }

    /// <summary>
    /// A page of a user's followers, by follower ID ascending, for fan-out: from the primary, because a follower
    /// a lagging standby has not seen yet would never get the photo in their timeline.
    /// </summary>
    public async Task<IReadOnlyList<long>> FollowersAsync(long userId, long after, int limit, CancellationToken ct)
    {
        await using var connection = await db.ForId(userId).Primary.OpenAsync(ct);
        var rows = await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT follower_id FROM followers WHERE user_id = @userId AND follower_id > @after ORDER BY follower_id LIMIT @limit",
            new { userId, after, limit },
            cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>A page of the users someone follows, by followee ID ascending.</summary>
    public async Task<IReadOnlyList<long>> FollowingAsync(long userId, long after, int limit, CancellationToken ct)
    {
        var rows = await db.ForId(userId).Replica.ReadAsync(
            (connection, token) => connection.QueryAsync<long>(new CommandDefinition(
                "SELECT followee_id FROM following WHERE user_id = @userId AND followee_id > @after ORDER BY followee_id LIMIT @limit",
                new { userId, after, limit },
                cancellationToken: token)),
            ct);
        return rows.AsList();
    }
}
