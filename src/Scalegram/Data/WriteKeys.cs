using System.Data.Common;
using Dapper;

namespace Scalegram.Data;

/// <summary>
/// Makes a keyed create exactly-once even when its answer is lost: the key is claimed in the same
/// transaction as the resource, on the same store, so a retry after an unknown outcome (a failover cut
/// the connection at commit) finds the resource the first run made instead of making another.
/// </summary>
internal static class WriteKeys
{
    /// <summary>How long a key names its resource: the web tier's Idempotency-Key lifetime.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="resourceId"/> inside <paramref name="tx"/> (a key older
    /// than <see cref="Lifetime"/> is free again, as the web tier's is); returns
    /// null when claimed now, or the resource an earlier committed run created (the caller then rolls back
    /// and answers with that one). A concurrent claim of the same key waits for the other transaction.
    /// </summary>
    public static async Task<long?> ClaimAsync(DbTransaction tx, WriteKey key, long resourceId, long now, CancellationToken ct)
    {
        var connection = tx.Connection!;
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO write_keys (scope, idem_key, resource_id, created_at) VALUES (@Scope, @Key, @resourceId, @now)
            ON CONFLICT (scope, idem_key) DO UPDATE SET resource_id = excluded.resource_id, created_at = excluded.created_at
            WHERE write_keys.created_at <= @expired
            """,
            new { key.Scope, key.Key, resourceId, now, expired = now - (long)Lifetime.TotalMilliseconds },
            tx,
            cancellationToken: ct));
        if (inserted == 1)
        {
            return null;
        }

        // Null only if a sweep removed the row between the two statements: the key is then free, a new request.
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT resource_id FROM write_keys WHERE scope = @Scope AND idem_key = @Key",
            new { key.Scope, key.Key },
            tx,
            cancellationToken: ct)) is { } earlier ? earlier : null;
    }

    /// <summary>Deletes up to <paramref name="limit"/> keys older than <paramref name="before"/> (unix ms) on one store.</summary>
    public static async Task<int> DeleteOlderAsync(DbConnection connection, long before, int limit, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM write_keys WHERE (scope, idem_key) IN (
                SELECT scope, idem_key FROM write_keys WHERE created_at <= @before LIMIT @limit)
            """,
            new { before, limit },
            cancellationToken: ct));

    /// <summary>
    /// Deletes up to <paramref name="limit"/> write keys on one store whose scope starts with <paramref name="scopePrefix"/>
    /// (a deleted account's: "user:ID "); returns how many went.
    /// </summary>
    public static async Task<int> DeleteScopedBatchAsync(PhysicalStore store, string scopePrefix, int limit, CancellationToken ct)
    {
        await using var connection = await store.Primary.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM write_keys WHERE (scope, idem_key) IN (
                SELECT scope, idem_key FROM write_keys WHERE substr(scope, 1, @length) = @scopePrefix LIMIT @limit)
            """,
            new { scopePrefix, length = scopePrefix.Length, limit },
            cancellationToken: ct));
    }
}
