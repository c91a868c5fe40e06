using System.Data.Common;
using Dapper;
using Scalegram.Data;

namespace Scalegram.Accounts;

/// <summary>Users on their shard's store, and the global username directory that keeps names unique.</summary>
internal sealed class AccountStore(Database db)
{
    /// <summary>
    /// Inserts the user, then claims the name in the directory (a deleted account's name once its quarantine
    /// has ended too); false (and nothing kept) if the name is taken or still quarantined.
    /// </summary>
    public async Task<bool> TryCreateAsync(User user, CancellationToken ct)
    {
        var home = db.ForId(user.Id);
        await using (var connection = await home.Primary.OpenAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO users (id, username, display_name, password_hash, is_admin, created_at)
                VALUES (@Id, @Username, @DisplayName, @PasswordHash, @IsAdmin, @CreatedAt)
                """,
                user,
                cancellationToken: ct));
        }

        await using (var directory = await db.Directory.Primary.OpenAsync(ct))
        {
            var claimed = await directory.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO username_directory (username_key, user_id) VALUES (@key, @id)
                ON CONFLICT (username_key) DO UPDATE SET user_id = excluded.user_id, released_at = NULL
                WHERE username_directory.released_at IS NOT NULL AND username_directory.released_at <= @now
                """,
                new { key = Username.Key(user.Username), id = user.Id, now = user.CreatedAt },
                cancellationToken: ct));
            if (claimed == 1)
            {
                return true;
            }
        }

        // Lost the race for the name: the user row is an orphan nobody can reach; remove it.
        // A compensating delete: not cancellable, or a cancelled request would leave the orphan behind.
        await using var cleanup = await home.Primary.OpenAsync(CancellationToken.None);
        await cleanup.ExecuteAsync(new CommandDefinition("DELETE FROM users WHERE id = @Id", user, cancellationToken: CancellationToken.None));
        return false;
    }

    /// <summary>The user a name belongs to; <paramref name="fromPrimary"/> for sign-in (a name claimed a moment ago must sign in).</summary>
    public Task<long?> FindIdAsync(string username, CancellationToken ct, bool fromPrimary = false) =>
        (fromPrimary ? db.Directory.Primary : db.Directory.Replica).ReadAsync(
            (connection, token) => connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT user_id FROM username_directory WHERE username_key = @key AND released_at IS NULL", new { key = Username.Key(username) }, cancellationToken: token)),
            ct);

    /// <summary>One user; <paramref name="fromPrimary"/> for sign-in (a password or role just changed must count).</summary>
    public Task<User?> GetAsync(long userId, CancellationToken ct, bool fromPrimary = false)
    {
        var store = db.ForId(userId);
        return (fromPrimary ? store.Primary : store.Replica).ReadAsync(
            (connection, token) => connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
                "SELECT id, username, display_name, password_hash, is_admin, created_at FROM users WHERE id = @userId AND deleted_at IS NULL", new { userId }, cancellationToken: token)),
            ct);
    }

    public async Task<IReadOnlyDictionary<long, User>> GetManyAsync(IEnumerable<long> userIds, CancellationToken ct)
    {
        var result = new Dictionary<long, User>();
        foreach (var group in userIds.Distinct().GroupBy(db.ForId))
        {
            var users = await group.Key.Replica.ReadAsync(
                (connection, token) => connection.QueryAsync<User>(new CommandDefinition(
                    $"SELECT id, username, display_name, password_hash, is_admin, created_at FROM users WHERE deleted_at IS NULL AND id {group.Key.Dialect.MatchesAny("@ids")}",
                    new { ids = group.ToArray() },
                    cancellationToken: token)),
                ct);
            foreach (var user in users)
            {
                result[user.Id] = user;
            }
        }

        return result;
    }

    /// <summary>Counts for a profile; read through the cache, whose fills go to the primary.</summary>
    public Task<ProfileCounts> CountsAsync(long userId, CancellationToken ct) =>
        db.ForId(userId).Replica.ReadAsync(
            (connection, token) => connection.QuerySingleAsync<ProfileCounts>(new CommandDefinition(
            """
            SELECT (SELECT COUNT(*) FROM photos WHERE owner_id = @userId AND status <> 'failed') AS Photos,
                   (SELECT COUNT(*) FROM followers WHERE user_id = @userId) AS Followers,
                   (SELECT COUNT(*) FROM following WHERE user_id = @userId) AS Following
            """,
            new { userId },
            cancellationToken: token)),
            ct);

    /// <summary>When a deleted account's name is free again (null if the name is not quarantined).</summary>
    public Task<long?> QuarantinedUntilAsync(string username, CancellationToken ct) =>
        db.Directory.Primary.ReadAsync(
            (connection, token) => connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT released_at FROM username_directory WHERE username_key = @key", new { key = Username.Key(username) }, cancellationToken: token)),
            ct);

    /// <summary>Marks the account deleted inside the caller's transaction (on the user's store); false if it was not live.</summary>
    public static async Task<bool> MarkDeletedAsync(DbTransaction tx, long userId, long now, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET deleted_at = @now WHERE id = @userId AND deleted_at IS NULL", new { userId, now }, tx, cancellationToken: ct)) == 1;

    /// <summary>Starts the quarantine of a deleted account's name: nobody signs in with it, nobody claims it before <paramref name="releasedAt"/>.</summary>
    public async Task QuarantineNameAsync(long userId, string username, long releasedAt, CancellationToken ct)
    {
        await using var connection = await db.Directory.Primary.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE username_directory SET released_at = @releasedAt WHERE username_key = @key AND user_id = @userId AND released_at IS NULL",
            new { key = Username.Key(username), userId, releasedAt },
            cancellationToken: ct));
    }

    /// <summary>The last step of an account's deletion: its row (only once marked deleted).</summary>
    public async Task EraseAsync(long userId, CancellationToken ct)
    {
        await using var connection = await db.ForId(userId).Primary.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM users WHERE id = @userId AND deleted_at IS NOT NULL", new { userId }, cancellationToken: ct));
    }

    /// <summary>Whether the user row still exists, deleted or not (the deletion job's last step removes it).</summary>
    public Task<bool> RowExistsAsync(long userId, CancellationToken ct) =>
        db.ForId(userId).Primary.ReadAsync(
            async (connection, token) => await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM users WHERE id = @userId", new { userId }, cancellationToken: token)) > 0,
            ct);

    public async Task<int> SetAdminAsync(long userId, bool isAdmin, CancellationToken ct)
    {
        await using var connection = await db.ForId(userId).Primary.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET is_admin = @isAdmin WHERE id = @userId", new { userId, isAdmin }, cancellationToken: ct));
    }

    public async Task<int> SetPasswordHashAsync(long userId, string passwordHash, CancellationToken ct)
    {
        await using var connection = await db.ForId(userId).Primary.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @passwordHash WHERE id = @userId", new { userId, passwordHash }, cancellationToken: ct));
    }

    /// <summary>
    /// Names in the directory that end in a line break: the only bad names the old `$`-anchored pattern let
    /// through (it matched before a final \n). The scan runs in the database; nothing else is sent back.
    /// </summary>
    public Task<IEnumerable<(string Key, long UserId)>> NamesEndingInLineBreakAsync(CancellationToken ct) =>
        db.Directory.Primary.ReadAsync(
            (connection, token) => connection.QueryAsync<(string, long)>(new CommandDefinition(
                "SELECT username_key, user_id FROM username_directory WHERE username_key LIKE @lf OR username_key LIKE @cr",
                new { lf = "%\n", cr = "%\r" },
                cancellationToken: token)),
            ct);

    public async Task<int> SetDisplayNameAsync(long userId, string displayName, CancellationToken ct)
    {
        await using var connection = await db.ForId(userId).Primary.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET display_name = @displayName WHERE id = @userId", new { userId, displayName }, cancellationToken: ct));
    }
}

/// <summary>What a profile shows besides the name.</summary>
internal sealed class ProfileCounts
{
    public long Photos { get; init; }

    public long Followers { get; init; }

    public long Following { get; init; }
}
