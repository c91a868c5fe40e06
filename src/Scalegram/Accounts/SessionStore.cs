using System.Security.Cryptography;
using System.Text;
using Dapper;
using Scalegram.Data;

namespace Scalegram.Accounts;

/// <summary>
/// Server-side sessions. Only a hash of each token is stored, so a copy of the database
/// does not let anyone sign in. Revocation is a durable write: nothing undoes it.
/// </summary>
internal sealed class SessionStore(Database db, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    public async Task<(string Token, DateTimeOffset ExpiresAt)> CreateAsync(long userId, CancellationToken ct)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = time.GetUtcNow();
        var expiresAt = now + Lifetime;
        await using var connection = await db.Directory.Primary.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (@hash, @userId, @now, @expires)",
            new { hash = Hash(token), userId, now = now.ToUnixTimeMilliseconds(), expires = expiresAt.ToUnixTimeMilliseconds() },
            cancellationToken: ct));
        return (token, expiresAt);
    }

    /// <summary>The user a live token belongs to, or null. Reads the primary: a revocation must count at once.</summary>
    public async Task<long?> ValidateAsync(string token, CancellationToken ct)
    {
        if (token.Length is < 20 or > 100)
        {
            return null;
        }

        await using var connection = await db.Directory.Primary.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT user_id FROM sessions WHERE token_hash = @hash AND revoked_at IS NULL AND expires_at > @now",
            new { hash = Hash(token), now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: ct));
    }

    public async Task RevokeAsync(string token, CancellationToken ct)
    {
        await using var connection = await db.Directory.Primary.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sessions SET revoked_at = @now WHERE token_hash = @hash AND revoked_at IS NULL",
            new { hash = Hash(token), now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: ct));
    }

    /// <summary>Revokes every session of a user (a deleted account): each node checks the primary on every request, so it counts everywhere at once.</summary>
    public async Task RevokeAllAsync(long userId, CancellationToken ct)
    {
        await using var connection = await db.Directory.Primary.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sessions SET revoked_at = @now WHERE user_id = @userId AND revoked_at IS NULL",
            new { userId, now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: ct));
    }

    /// <summary>Deletes up to <paramref name="limit"/> of a user's sessions; returns how many went (0 when none are left).</summary>
    public async Task<int> DeleteOfUserAsync(long userId, int limit, CancellationToken ct)
    {
        await using var connection = await db.Directory.Primary.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions WHERE user_id = @userId LIMIT @limit)",
            new { userId, limit },
            cancellationToken: ct));
    }

    /// <summary>
    /// Deletes up to <paramref name="limit"/> sessions that expired, or were revoked, before
    /// <paramref name="before"/>. A missing row is as invalid as an expired one, so this never revives anything.
    /// </summary>
    public async Task<int> DeleteEndedAsync(DateTimeOffset before, int limit, CancellationToken ct)
    {
        await using var connection = await db.Directory.Primary.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM sessions WHERE token_hash IN (
                SELECT token_hash FROM sessions WHERE expires_at < @before OR revoked_at < @before LIMIT @limit)
            """,
            new { before = before.ToUnixTimeMilliseconds(), limit }, cancellationToken: ct));
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
