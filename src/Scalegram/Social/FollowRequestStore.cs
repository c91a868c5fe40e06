using Dapper;
using Scalegram.Data;

namespace Scalegram.Social;

/// <summary>Pending requests to follow a private account, on the owner's shard.</summary>
internal sealed class FollowRequestStore(Database db)
{
    /// <summary>Records a request; returns false if it was already pending.</summary>
    public async Task<bool> AddAsync(long ownerId, long requesterId, long now, CancellationToken ct)
    {
        await using var connection = await db.ForId(ownerId).Primary.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO follow_requests (user_id, requester_id, created_at) VALUES (@ownerId, @requesterId, @now) ON CONFLICT DO NOTHING",
            new { ownerId, requesterId, now },
            cancellationToken: ct)) == 1;
    }

    /// <summary>Removes a request; returns whether one was pending.</summary>
    public async Task<bool> RemoveAsync(long ownerId, long requesterId, CancellationToken ct)
    {
        await using var connection = await db.ForId(ownerId).Primary.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM follow_requests WHERE user_id = @ownerId AND requester_id = @requesterId",
            new { ownerId, requesterId },
            cancellationToken: ct)) > 0;
    }

    /// <summary>From the primary: an approval must see the request the requester just made.</summary>
    public async Task<bool> IsPendingAsync(long ownerId, long requesterId, CancellationToken ct)
    {
        await using var connection = await db.ForId(ownerId).Primary.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM follow_requests WHERE user_id = @ownerId AND requester_id = @requesterId",
            new { ownerId, requesterId },
            cancellationToken: ct)) > 0;
    }

    /// <summary>A page of an owner's pending requests, oldest requester ID first, from the primary (the owner acts on them next).</summary>
    public async Task<IReadOnlyList<FollowRequestRow>> ListAsync(long ownerId, long after, int limit, CancellationToken ct)
    {
        await using var connection = await db.ForId(ownerId).Primary.OpenAsync(ct);
        var rows = await connection.QueryAsync<FollowRequestRow>(new CommandDefinition(
            "SELECT requester_id AS RequesterId, created_at AS CreatedAt FROM follow_requests WHERE user_id = @ownerId AND requester_id > @after ORDER BY requester_id LIMIT @limit",
            new { ownerId, after, limit },
            cancellationToken: ct));
        return rows.AsList();
    }
}

/// <summary>One pending follow request.</summary>
internal sealed class FollowRequestRow
{
    public long RequesterId { get; init; }

    public long CreatedAt { get; init; }
}
