using Scalegram.Caching;
using Scalegram.Data.Ids;
using Scalegram.Data.Sharding;
using Scalegram.Observability;
using Scalegram.Web;

namespace Scalegram.Accounts;

/// <summary>Sign-up, sign-in and profiles.</summary>
internal sealed class AccountService(
    AccountStore store,
    SessionStore sessions,
    IdGenerator ids,
    TimeProvider time,
    EntityCache cache,
    EntityBatchCache batch,
    ScalegramMetrics metrics,
    SignInThrottle throttle,
    ILogger<AccountService> logger,
    SessionRevocations? sessionRevocations = null)
{
    public const int MaxDisplayNameLength = 60;

    // Hashed once so an unknown username costs the same time as a wrong password (same scheme and cost).
    private static readonly string DummyHash = PasswordHashing.Hash("not-a-real-password-xyz");

    public async Task<SignUpResult> SignUpAsync(string? username, string? password, string? displayName, CancellationToken ct)
    {
        if (!Username.TryValidate(username, out var usernameError))
        {
            return SignUpResult.Invalid("invalid-username", usernameError);
        }

        if (!PasswordPolicy.TryValidate(password, username, out var passwordError))
        {
            return SignUpResult.Invalid("weak-password", passwordError);
        }

        if (!UserText.IsClean(displayName))
        {
            return SignUpResult.Invalid(UserText.Code, "The display name contains a control or invisible formatting character (such as NUL, a zero-width space or a right-to-left override); remove it.");
        }

        displayName = string.IsNullOrWhiteSpace(displayName) ? username : displayName.Trim();
        if (displayName.Length > MaxDisplayNameLength)
        {
            return SignUpResult.Invalid("invalid-display-name", $"A display name may be at most {MaxDisplayNameLength} characters.");
        }

        var user = new User
        {
            Id = ids.Next(LogicalShard.ForNewUser(Username.Key(username))),
            Username = username,
            DisplayName = displayName,
            PasswordHash = PasswordHashing.Hash(password),
            CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        if (!await store.TryCreateAsync(user, ct))
        {
            return await store.QuarantinedUntilAsync(username, ct) is { } until && until > user.CreatedAt
                ? SignUpResult.Quarantined(DateTimeOffset.FromUnixTimeMilliseconds(until))
                : SignUpResult.Taken();
        }

        await cache.InvalidateAsync(AccountCacheKeys.Username(username), ct);
        metrics.Business("signup");
        return SignUpResult.Created(user);
    }

    /// <summary>A new session for the right username and password; null for anything wrong (or a locked name), without saying what.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt, User User)?> SignInAsync(string? username, string? password, CancellationToken ct) =>
        (await TrySignInAsync(username, password, null, ct)).Session;

    /// <summary>As <see cref="SignInAsync(string?, string?, CancellationToken)"/>, noting the device the session list will show.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt, User User)?> SignInAsync(string? username, string? password, SessionDevice? device, CancellationToken ct) =>
        (await TrySignInAsync(username, password, device, ct)).Session;

    /// <summary>
    /// Signs in, or says why not in a way that is the same for real and unknown names: a password too long
    /// to hash, a name locked after too many failures (with how long), or wrong credentials. A hash of an
    /// older scheme or cost is replaced once the password has been verified.
    /// </summary>
    public async Task<SignInOutcome> TrySignInAsync(string? username, string? password, SessionDevice? device, CancellationToken ct)
    {
        if (PasswordHashing.IsTooLong(password))
        {
            return SignInOutcome.PasswordTooLong;
        }

        var nameKey = !string.IsNullOrEmpty(username) && Username.TryValidate(username, out _) ? Username.Key(username) : null;
        if (nameKey is not null && await throttle.LockedForAsync(nameKey, ct) is { } lockedFor)
        {
            return SignInOutcome.Locked(lockedFor);
        }

        var userId = nameKey is null ? null : await store.FindIdAsync(username!, ct, fromPrimary: true);
        var user = userId is { } id ? await store.GetAsync(id, ct, fromPrimary: true) : null;
        var verified = PasswordHashing.Verify(user?.PasswordHash ?? DummyHash, password ?? "", out var needsUpgrade);
        if (user is null || !verified)
        {
            if (nameKey is not null)
            {
                await throttle.FailedAsync(nameKey, ct);
            }

            return SignInOutcome.Wrong;
        }

        await throttle.SucceededAsync(nameKey!, ct);
        if (needsUpgrade)
        {
            await store.SetPasswordHashAsync(user.Id, PasswordHashing.Hash(password!), ct);
            Log.PasswordHashUpgraded(logger, user.Id, PasswordHashing.Iterations);
        }

        var (token, expiresAt) = await sessions.CreateAsync(user.Id, device, ct);
        metrics.Business("login");
        return new SignInOutcome((token, expiresAt, user), null, false);
    }

    /// <summary>
    /// Changes the signed-in user's password: the current one must verify (a wrong one counts toward the
    /// account's sign-in lock, as a failed sign-in would), the new one passes the password policy and is
    /// hashed with the current scheme and cost; then every other session of the user is revoked, the one
    /// identified by <paramref name="currentToken"/> stays.
    /// </summary>
    public async Task<PasswordChangeOutcome> ChangePasswordAsync(long userId, string? currentToken, string? currentPassword, string? newPassword, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(currentPassword) || string.IsNullOrEmpty(newPassword))
        {
            return PasswordChangeOutcome.Invalid("missing-password", "Send both 'currentPassword' and 'newPassword'.");
        }

        if (PasswordHashing.IsTooLong(currentPassword) || PasswordHashing.IsTooLong(newPassword))
        {
            return PasswordChangeOutcome.Invalid("password-too-long", $"A password is at most {PasswordHashing.MaxBytes} bytes.");
        }

        var user = await store.GetAsync(userId, ct, fromPrimary: true);
        if (user is null)
        {
            return PasswordChangeOutcome.NoAccount;
        }

        // Checked before any hashing: a new password the policy refuses costs no PBKDF2 round and reveals nothing about the current one.
        if (!PasswordPolicy.TryValidate(newPassword, user.Username, out var policyError))
        {
            return PasswordChangeOutcome.Invalid("weak-password", policyError);
        }

        var nameKey = Username.Key(user.Username);
        if (await throttle.LockedForAsync(nameKey, ct) is { } lockedFor)
        {
            return PasswordChangeOutcome.Locked(lockedFor);
        }

        if (!PasswordHashing.Verify(user.PasswordHash, currentPassword, out _))
        {
            // A stolen session must not become a password oracle: the same per-account lock as sign-in.
            await throttle.FailedAsync(nameKey, ct);
            return PasswordChangeOutcome.WrongPassword;
        }

        await throttle.SucceededAsync(nameKey, ct);
        await store.SetPasswordHashAsync(userId, PasswordHashing.Hash(newPassword), ct);
        var revoked = await sessions.RevokeAllAsync(userId, currentToken, ct);
        metrics.Business("password_change");
        Log.PasswordChanged(logger, userId, revoked);
        return PasswordChangeOutcome.Changed(revoked);
    }

    /// <summary>A user through the cache, without the password hash: cached entries may sit in Redis.</summary>
    public Task<User?> GetUserAsync(long userId, CancellationToken ct) =>
        cache.GetOrLoadAsync(AccountCacheKeys.User(userId), async token => (await store.GetAsync(userId, token))?.WithoutSecrets(), ct);

    /// <summary>Many users through the cache (without password hashes): the misses with one query per store.</summary>
    public async Task<IReadOnlyDictionary<long, User?>> GetUsersAsync(IEnumerable<long> userIds, CancellationToken ct) =>
        await batch.GetOrLoadManyAsync<long, User>(
            userIds,
            AccountCacheKeys.User,
            async (ids, token) => (await store.GetManyAsync(ids, token)).ToDictionary(u => u.Key, u => u.Value.WithoutSecrets()),
            ct);

    public async Task<User?> FindByUsernameAsync(string username, CancellationToken ct)
    {
        if (!Username.TryValidate(username, out _))
        {
            return null;
        }

        var id = await cache.GetOrLoadAsync(AccountCacheKeys.Username(username), token => store.FindIdAsync(username, token), ct);
        return id is { } userId ? await GetUserAsync(userId, ct) : null;
    }

    public Task<ProfileCounts> CountsAsync(long userId, CancellationToken ct) =>
        cache.GetOrLoadAsync(AccountCacheKeys.Counts(userId), async token => await store.CountsAsync(userId, token), ct)!;

    public async Task<bool> SetDisplayNameAsync(long userId, string displayName, CancellationToken ct)
    {
        var changed = await store.SetDisplayNameAsync(userId, displayName, ct) == 1;
        await cache.InvalidateAsync(AccountCacheKeys.User(userId), ct);
        return changed;
    }

    public async Task<bool> SetAdminAsync(string username, bool isAdmin, CancellationToken ct)
    {
        var id = Username.TryValidate(username, out _) ? await store.FindIdAsync(username, ct, fromPrimary: true) : null;
        return id is { } userId && await SetAdminAsync(userId, isAdmin, ct);
    }

    /// <summary>Grants or takes the admin role of an existing account by ID; false if there is none.</summary>
    public async Task<bool> SetAdminAsync(long userId, bool isAdmin, CancellationToken ct)
    {
        if (await store.SetAdminAsync(userId, isAdmin, ct) != 1)
        {
            return false;
        }

        await cache.InvalidateAsync(AccountCacheKeys.User(userId), ct);

        // A session carries its user's admin role: web nodes drop their cached copies of this user's sessions.
        if (sessionRevocations is not null)
        {
            await sessionRevocations.UserRevokedAsync(userId, ct);
        }

        return true;
    }
}

/// <summary>The outcome of a sign-in: a session, or a lock with its remaining time, or a password too long to hash, or wrong credentials.</summary>
internal sealed record SignInOutcome((string Token, DateTimeOffset ExpiresAt, User User)? Session, TimeSpan? LockedFor, bool TooLong)
{
    public static readonly SignInOutcome Wrong = new(null, null, false);

    public static readonly SignInOutcome PasswordTooLong = new(null, null, true);

    public static SignInOutcome Locked(TimeSpan remaining) => new(null, remaining, false);
}

/// <summary>The outcome of a password change: how many other sessions ended, or why nothing changed.</summary>
internal sealed record PasswordChangeOutcome(int? RevokedSessions, string? ErrorCode, string? Error, TimeSpan? LockedFor)
{
    public static readonly PasswordChangeOutcome WrongPassword = new(null, "wrong-password", "The current password is not right; nothing was changed.", null);

    public static readonly PasswordChangeOutcome NoAccount = new(null, "not-signed-in", "Sign in first.", null);

    public static PasswordChangeOutcome Changed(int revoked) => new(revoked, null, null, null);

    public static PasswordChangeOutcome Invalid(string code, string message) => new(null, code, message, null);

    public static PasswordChangeOutcome Locked(TimeSpan remaining) => new(null, "sign-in-locked", "Too many wrong passwords for this account; wait before trying again (see Retry-After).", remaining);
}

/// <summary>The outcome of a sign-up.</summary>
internal sealed record SignUpResult(User? User, string? ErrorCode, string? Error)
{
    public static SignUpResult Created(User user) => new(user, null, null);

    public static SignUpResult Invalid(string code, string message) => new(null, code, message);

    public static SignUpResult Taken() => new(null, "username-taken", "That username is taken; choose another.");

    /// <summary>The name belonged to an account deleted recently: it stays reserved until its quarantine ends.</summary>
    public static SignUpResult Quarantined(DateTimeOffset until) =>
        new(null, QuarantinedCode, $"That username belonged to a deleted account and is reserved until {until.UtcDateTime:yyyy-MM-dd HH:mm} UTC; choose another.");

    public const string QuarantinedCode = "username-quarantined";

    /// <summary>Whether the refusal is a conflict with an existing or reserved name (409) rather than bad input (400).</summary>
    public bool IsConflict => ErrorCode is "username-taken" or QuarantinedCode;
}
