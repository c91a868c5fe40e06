using Dapper;
using Scalegram.Caching;
using Scalegram.Data;

namespace Scalegram.Social;

/// <summary>Whether an account is private: a row on the user's shard (none = public), read through the cache.</summary>
internal sealed class PrivacyStore(Database db, EntityCache cache)
{
    public static string CacheKey(long userId) => $"privacy:{userId}";

    public async Task<bool> IsPrivateAsync(long userId, CancellationToken ct) =>
        (await cache.GetOrLoadAsync(CacheKey(userId), token => LoadAsync(userId, token), ct))?.IsPrivate ?? false;

    /// <summary>Records the choice; returns whether it changed.</summary>
    public async Task<bool> SetAsync(long userId, bool isPrivate, long now, CancellationToken ct)
    {
        bool changed;
        await using (var connection = await db.ForId(userId).Primary.OpenAsync(ct))
        {
            var before = await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(
                "SELECT is_private FROM account_privacy WHERE user_id = @userId", new { userId }, cancellationToken: ct)) ?? false;
            changed = before != isPrivate;
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO account_privacy (user_id, is_private, updated_at) VALUES (@userId, @isPrivate, @now)
                ON CONFLICT (user_id) DO UPDATE SET is_private = excluded.is_private, updated_at = excluded.updated_at
                """,
                new { userId, isPrivate, now },
                cancellationToken: ct));
        }

        await cache.InvalidateAsync(CacheKey(userId), ct);
        return changed;
    }

    private async Task<PrivacySetting?> LoadAsync(long userId, CancellationToken ct)
    {
        var value = await db.ForId(userId).Replica.ReadAsync(
            (connection, token) => connection.ExecuteScalarAsync<bool?>(new CommandDefinition(
                "SELECT is_private FROM account_privacy WHERE user_id = @userId", new { userId }, cancellationToken: token)),
            ct);
        return new PrivacySetting(value ?? false);
    }
}

/// <summary>The cached privacy of one account (a class, so the cache can tell "public" from "not loaded").</summary>
internal sealed record PrivacySetting(bool IsPrivate);
