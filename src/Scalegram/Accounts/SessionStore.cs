using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Scalegram.Data;

namespace Scalegram.Accounts;

/// <summary>
/// Server-side sessions. Only a hash of each token is stored, so a copy of the database
/// does not let anyone sign in. Revocation is a durable write: nothing undoes it. Every check reads
/// the directory's primary; web nodes cache a validated session briefly (Web/SessionCache), so every
/// revocation here is also announced to all of them (Web/SessionRevocations).
/// </summary>
internal sealed class SessionStore(
    Database db, TimeProvider time, IOptions<AccountsOptions> options, ILogger<SessionStore> logger, Web.SessionRevocations? revocations = null)
{
    /// <summary>
    /// How stale last_seen_at may get. Writing it on every request would turn every authenticated read into a
    /// write on the directory's primary (and on SQLite serialise all requests on its write lock); once a minute
    /// per session costs almost nothing. The idle check reads the same column, so it is at most this much
    /// stricter than Accounts:SessionIdleTimeout, never looser.
    /// </summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    private const string Live = "revoked_at IS NULL AND expires_at > @now AND COALESCE(last_seen_at, created_at) > @idleSince";

    public Task<(string Token, DateTimeOffset ExpiresAt)> CreateAsync(long userId, CancellationToken ct) => CreateAsync(userId, null, ct);

    public async Task<(string Token, DateTimeOffset ExpiresAt)> CreateAsync(long userId, SessionDevice? device, CancellationToken ct)
    {
        var token = NewRandomId(32);
        var now = time.GetUtcNow();
        var expiresAt = now + options.Value.SessionLifetime;
        await using var connection = await db.Directory.Primary.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sessions (token_hash, public_id, user_id, created_at, expires_at, last_seen_at, device, client_address)
            VALUES (@hash, @publicId, @userId, @now, @expires, @now, @device, @address)
            """,
            new
            {
                hash = Hash(token),
                publicId = NewRandomId(12),
                userId,
                now = now.ToUnixTimeMilliseconds(),
                expires = expiresAt.ToUnixTimeMilliseconds(),
                device = device?.Label,
                address = device?.Address,
            },
            cancellationToken: ct));
        return (token, expiresAt);
    }

    /// <summary>The user a live token belongs to, or null. Reads the primary: a revocation must count at once.</summary>
    public async Task<long?> ValidateAsync(string token, CancellationToken ct) => (await ResolveAsync(token, ct))?.UserId;

    /// <summary>
    /// The live session of a token (not revoked, not expired, used within the idle timeout), or null; notes
    /// that it was used when its last_seen_at is older than <see cref="LastSeenResolution"/>.
    /// </summary>
    public async Task<LiveSession?> ResolveAsync(string token, CancellationToken ct)
    {
        if (token.Length is < 20 or > 100)
        {
            return null;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var hash = Hash(token);
        await using var connection = await db.Directory.Primary.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(long UserId, string? PublicId, long LastSeen)>(new CommandDefinition(
            $"SELECT user_id, public_id, COALESCE(last_seen_at, created_at) FROM sessions WHERE token_hash = @hash AND {Live}",
            new { hash, now, idleSince = IdleSince(now) },
            cancellationToken: ct));
        if (row.UserId == 0)
        {
            return null;
        }

        var publicId = row.PublicId;
        if (publicId is null || now - row.LastSeen >= (long)LastSeenResolution.TotalMilliseconds)
        {
            // A row an older node wrote during a rolling upgrade gets its public ID here, on first use.
            publicId ??= NewRandomId(12);
            await TouchAsync(connection, hash, publicId, now, ct);
        }

        return new LiveSession(row.UserId, publicId);
    }

    /// <summary>The user's live sessions, most recently used first; <paramref name="currentToken"/>'s is marked.</summary>
    public async Task<IReadOnlyList<SessionInfo>> ListAsync(long userId, string? currentToken, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var currentHash = currentToken is null ? null : Hash(currentToken);
        await using var connection = await db.Directory.Primary.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string TokenHash, string PublicId, long CreatedAt, long LastSeen, long ExpiresAt, string? Device, string? Address)>(new CommandDefinition(
            $"""
            SELECT token_hash, public_id, created_at, COALESCE(last_seen_at, created_at), expires_at, device, client_address
            FROM sessions WHERE user_id = @userId AND public_id IS NOT NULL AND {Live}
            ORDER BY COALESCE(last_seen_at, created_at) DESC, created_at DESC
            """,
            new { userId, now, idleSince = IdleSince(now) },
            cancellationToken: ct));
        return
        [
            .. rows.Select(r => new SessionInfo(
                r.PublicId,
                DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
                DateTimeOffset.FromUnixTimeMilliseconds(r.LastSeen),
                DateTimeOffset.FromUnixTimeMilliseconds(r.ExpiresAt),
                r.Device ?? DeviceLabel.Unknown,
                r.Address,
                r.TokenHash == currentHash)),
        ];
    }

    public async Task RevokeAsync(string token, CancellationToken ct)
    {
        await using var connection = await db.Directory.Primary.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sessions SET revoked_at = @now WHERE token_hash = @hash AND revoked_at IS NULL",
            new { hash = Hash(token), now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: ct));

        // Web nodes cache validated sessions: drop this one on all of them now (web roles only).
        if (revocations is not null)
        {
            await revocations.RevokedAsync(Hash(token), ct);
        }
    }

    /// <summary>Revokes the user's session with this public ID; false when the user has no live session by that ID (someone else's included).</summary>
    public async Task<bool> RevokeByIdAsync(long userId, string publicId, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await db.Directory.Primary.OpenAsync(ct);
        var revoked = await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE sessions SET revoked_at = @now WHERE user_id = @userId AND public_id = @publicId AND {Live}",
            new { userId, publicId, now, idleSince = IdleSince(now) },
            cancellationToken: ct)) == 1;
        if (revoked)
        {
            await AnnounceUserAsync(userId, ct);
        }

        return revoked;
    }

    /// <summary>Revokes every session of the user except <paramref name="keepToken"/>'s (all of them when null); how many ended.</summary>
    public async Task<int> RevokeAllAsync(long userId, string? keepToken, CancellationToken ct)
    {
        await using var connection = await db.Directory.Primary.OpenAsync(ct);
        var revoked = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sessions SET revoked_at = @now WHERE user_id = @userId AND revoked_at IS NULL AND expires_at > @now AND token_hash <> @keep",
            new { userId, now = time.GetUtcNow().ToUnixTimeMilliseconds(), keep = keepToken is null ? "" : Hash(keepToken) },
            cancellationToken: ct));
        if (revoked > 0)
        {
            // Drops every cached session of the user, the kept one too: it is only read again from the store.
            await AnnounceUserAsync(userId, ct);
        }

        return revoked;
    }

    private Task AnnounceUserAsync(long userId, CancellationToken ct) =>
        revocations is null ? Task.CompletedTask : revocations.UserRevokedAsync(userId, ct);

    /// <summary>Revokes every session of a user (a deleted account), and drops their cached copies on every node.</summary>
    public Task RevokeAllAsync(long userId, CancellationToken ct) => RevokeAllAsync(userId, keepToken: null, ct);

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
                SELECT token_hash FROM sessions WHERE expires_at < @before OR revoked_at < @before OR COALESCE(last_seen_at, created_at) < @idleBefore LIMIT @limit)
            """,
            new { before = before.ToUnixTimeMilliseconds(), idleBefore = IdleSince(before.ToUnixTimeMilliseconds()), limit }, cancellationToken: ct));
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private long IdleSince(long nowMs) => nowMs - (long)options.Value.SessionIdleTimeout.TotalMilliseconds;

    private async Task TouchAsync(DbConnection connection, string hash, string publicId, long now, CancellationToken ct)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE sessions SET last_seen_at = @now, public_id = COALESCE(public_id, @publicId) WHERE token_hash = @hash",
                new { hash, publicId, now },
                cancellationToken: ct));
        }
        catch (DbException e) when (!ct.IsCancellationRequested)
        {
            // Last-seen is bookkeeping: a busy or read-only primary must not sign anyone out. The idle check
            // then counts from the older value, which errs on the strict side.
            Log.LastSeenNotWritten(logger, e);
        }
    }

    private static string NewRandomId(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A live session: whose it is and its public ID.</summary>
internal sealed record LiveSession(long UserId, string PublicId);

/// <summary>One of a user's live sessions as a session list shows it; never the token or its hash.</summary>
internal sealed record SessionInfo(string Id, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, string Device, string? ClientAddress, bool Current);
