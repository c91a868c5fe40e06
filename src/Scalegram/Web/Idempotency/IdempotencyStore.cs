using Dapper;
using Scalegram.Data;

namespace Scalegram.Web.Idempotency;

/// <summary>
/// Idempotency-Key records in the idempotency_keys table. A signed-in user's keys live on the store of the
/// user's shard, beside what the requests create, so the load spreads with the shards; anonymous keys
/// (sign-up) have no shard and live on the directory store.
/// </summary>
internal sealed class IdempotencyStore(Database db) : IIdempotencyStore
{
    private const string Where = "scope = @scope AND idem_key = @key";

    public async Task<IdempotencyRecord?> ClaimAsync(
        IdempotencyScope scope, string key, string owner, DateTimeOffset now, DateTimeOffset lockedUntil, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var args = new
        {
            scope = scope.Name,
            key,
            owner,
            now = now.ToUnixTimeMilliseconds(),
            lockedUntil = lockedUntil.ToUnixTimeMilliseconds(),
            expiresAt = expiresAt.ToUnixTimeMilliseconds(),
        };
        await using var connection = await StoreOf(scope).Primary.OpenAsync(ct);

        // The row may vanish between the steps (released, swept): then claim again.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO idempotency_keys (scope, idem_key, owner, created_at, locked_until, expires_at)
                VALUES (@scope, @key, @owner, @now, @lockedUntil, @expiresAt)
                ON CONFLICT (scope, idem_key) DO NOTHING
                """,
                args,
                cancellationToken: ct)) == 1)
            {
                return null;
            }

            // Taken over only if it expired, or is in progress but its owner stopped renewing (crashed).
            if (await connection.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE idempotency_keys
                SET owner = @owner, created_at = @now, locked_until = @lockedUntil, expires_at = @expiresAt,
                    fingerprint = NULL, response_status = NULL, content_type = NULL, location = NULL, body = NULL
                WHERE {Where} AND (expires_at <= @now OR (response_status IS NULL AND locked_until <= @now))
                """,
                args,
                cancellationToken: ct)) == 1)
            {
                return null;
            }

            var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                $"""
                SELECT fingerprint AS Fingerprint, response_status AS ResponseStatus, content_type AS ContentType,
                       location AS Location, body AS Body, locked_until AS LockedUntil
                FROM idempotency_keys WHERE {Where}
                """,
                args,
                cancellationToken: ct));
            if (row is not null)
            {
                var response = row.ResponseStatus is { } status ? new StoredResponse((int)status, row.ContentType, row.Location, row.Body ?? "") : null;
                return new IdempotencyRecord(row.Fingerprint, response, DateTimeOffset.FromUnixTimeMilliseconds(row.LockedUntil));
            }
        }

        throw new InvalidOperationException($"The idempotency key could not be claimed or read for {scope.Name}.");
    }

    public async Task<bool> RenewAsync(IdempotencyScope scope, string key, string owner, DateTimeOffset lockedUntil, CancellationToken ct)
    {
        await using var connection = await StoreOf(scope).Primary.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE idempotency_keys SET locked_until = @until WHERE {Where} AND owner = @owner AND response_status IS NULL",
            new { scope = scope.Name, key, owner, until = lockedUntil.ToUnixTimeMilliseconds() },
            cancellationToken: ct)) == 1;
    }

    public async Task<bool> CompleteAsync(IdempotencyScope scope, string key, string owner, string fingerprint, StoredResponse response, CancellationToken ct)
    {
        await using var connection = await StoreOf(scope).Primary.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE idempotency_keys
            SET fingerprint = @fingerprint, response_status = @status, content_type = @contentType, location = @location, body = @body
            WHERE {Where} AND owner = @owner AND response_status IS NULL
            """,
            new { scope = scope.Name, key, owner, fingerprint, status = (long)response.Status, contentType = response.ContentType, location = response.Location, body = response.Body },
            cancellationToken: ct)) == 1;
    }

    public async Task ReleaseAsync(IdempotencyScope scope, string key, string owner, CancellationToken ct)
    {
        await using var connection = await StoreOf(scope).Primary.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM idempotency_keys WHERE {Where} AND owner = @owner AND response_status IS NULL",
            new { scope = scope.Name, key, owner },
            cancellationToken: ct));
    }

    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        var deleted = 0;
        foreach (var store in db.Stores)
        {
            await using var connection = await store.Primary.OpenAsync(ct);
            deleted += await connection.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM idempotency_keys WHERE (scope, idem_key) IN (
                    SELECT scope, idem_key FROM idempotency_keys WHERE expires_at <= @now LIMIT @limit)
                """,
                new { now = now.ToUnixTimeMilliseconds(), limit },
                cancellationToken: ct));

            // A write key outlives its request's key by nothing: after 24 h a retry is a new request anyway.
            deleted += await WriteKeys.DeleteOlderAsync(connection, (now - IdempotencyMiddleware.KeyLifetime).ToUnixTimeMilliseconds(), limit, ct);
        }

        return deleted;
    }

    /// <summary>Deletes up to <paramref name="limit"/> of a (deleted) user's recorded requests on one store; returns how many went.</summary>
    public static async Task<int> DeleteOfUserBatchAsync(PhysicalStore store, long userId, int limit, CancellationToken ct)
    {
        await using var connection = await store.Primary.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_keys WHERE (scope, idem_key) IN (SELECT scope, idem_key FROM idempotency_keys WHERE scope = @scope LIMIT @limit)",
            new { scope = IdempotencyScope.ForUser(userId).Name, limit },
            cancellationToken: ct));
    }

    private PhysicalStore StoreOf(IdempotencyScope scope) => scope.UserId is { } userId ? db.ForId(userId) : db.Directory;

    /// <summary>One idempotency_keys row as read.</summary>
    private sealed class Row
    {
        public string? Fingerprint { get; set; }

        public long? ResponseStatus { get; set; }

        public string? ContentType { get; set; }

        public string? Location { get; set; }

        public string? Body { get; set; }

        public long LockedUntil { get; set; }
    }
}
