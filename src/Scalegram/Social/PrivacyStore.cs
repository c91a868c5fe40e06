using Dapper;
using Scalegram.Caching;
using Scalegram.Data;

namespace Scalegram.Social;

/// <summary>Whether an account is private: a row on the user's shard (none = public), read through the cache.</summary>
internal sealed class PrivacyStore(Database db, EntityCache cache, EntityBatchCache batch)
{
    public static string CacheKey(long userId) => $"privacy:{userId}";

    public async Task<bool> IsPrivateAsync(long userId, CancellationToken ct) =>
        (await cache.GetOrLoadAsync(CacheKey(userId), token => LoadAsync(userId, token), ct))?.IsPrivate ?? false;

    /// <summary>Of these accounts, the private ones: through the cache, the misses with one query per store.</summary>
    public async Task<IReadOnlySet<long>> PrivateAmongAsync(IEnumerable<long> userIds, CancellationToken ct)
    {
        var settings = await batch.GetOrLoadManyAsync<long, PrivacySetting>(userIds, CacheKey, LoadManyAsync, ct);
        return settings.Where(s => s.Value?.IsPrivate == true).Select(s => s.Key).ToHashSet();
    }

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

    private async Task<IReadOnlyDictionary<long, PrivacySetting>> LoadManyAsync(IReadOnlyList<long> userIds, CancellationToken ct)
    {
        // Every asked account gets an entry: no row means public, as in LoadAsync.
        var result = userIds.ToDictionary(id => id, _ => new PrivacySetting(false));
        foreach (var group in userIds.GroupBy(db.ForId))
        {
            var rows = await group.Key.Replica.ReadAsync(
                (connection, token) => connection.QueryAsync<(long UserId, bool IsPrivate)>(new CommandDefinition(
                    $"SELECT user_id, is_private FROM account_privacy WHERE user_id {group.Key.Dialect.MatchesAny("@ids")}",
                    new { ids = group.ToArray() },
                    cancellationToken: token)),
                ct);
            foreach (var (userId, isPrivate) in rows)
            {
                result[userId] = new PrivacySetting(isPrivate);
            }
        }

        return result;
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
