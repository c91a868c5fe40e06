using Microsoft.AspNetCore.Identity;
using Scalegram.Caching;
using Scalegram.Data.Ids;
using Scalegram.Data.Sharding;
using Scalegram.Observability;

namespace Scalegram.Accounts;

/// <summary>Sign-up, sign-in and profiles.</summary>
internal sealed class AccountService(
    AccountStore store,
    SessionStore sessions,
    IdGenerator ids,
    TimeProvider time,
    EntityCache cache,
    ScalegramMetrics metrics)
{
    private static readonly PasswordHasher<object> Hasher = new();

    // Hashed once so an unknown username costs the same time as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(new object(), "not-a-real-password-xyz");

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

        displayName = string.IsNullOrWhiteSpace(displayName) ? username : displayName.Trim();
        if (displayName.Length > 60)
        {
            return SignUpResult.Invalid("invalid-display-name", "A display name may be at most 60 characters.");
        }

        var user = new User
        {
            Id = ids.Next(LogicalShard.ForNewUser(Username.Key(username))),
            Username = username,
            DisplayName = displayName,
            PasswordHash = Hasher.HashPassword(new object(), password),
            CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        if (!await store.TryCreateAsync(user, ct))
        {
            return SignUpResult.Taken();
        }

        await cache.InvalidateAsync(AccountCacheKeys.Username(username), ct);
        metrics.Business("signup");
        return SignUpResult.Created(user);
    }

    /// <summary>A new session for the right username and password; null for anything wrong, without saying what.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt, User User)?> SignInAsync(string? username, string? password, CancellationToken ct)
    {
        var userId = string.IsNullOrEmpty(username) || !Username.TryValidate(username, out _) ? null : await store.FindIdAsync(username, ct, fromPrimary: true);
        var user = userId is { } id ? await store.GetAsync(id, ct, fromPrimary: true) : null;
        var verified = Hasher.VerifyHashedPassword(new object(), user?.PasswordHash ?? DummyHash, password ?? "");
        if (user is null || verified == PasswordVerificationResult.Failed)
        {
            return null;
        }

        var (token, expiresAt) = await sessions.CreateAsync(user.Id, ct);
        metrics.Business("login");
        return (token, expiresAt, user);
    }

    /// <summary>A user through the cache, without the password hash: cached entries may sit in Redis.</summary>
    public Task<User?> GetUserAsync(long userId, CancellationToken ct) =>
        cache.GetOrLoadAsync(AccountCacheKeys.User(userId), async token => (await store.GetAsync(userId, token))?.WithoutSecrets(), ct);

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
        var id = await store.FindIdAsync(username, ct);
        if (id is null)
        {
            return false;
        }

        await store.SetAdminAsync(id.Value, isAdmin, ct);
        await cache.InvalidateAsync(AccountCacheKeys.User(id.Value), ct);
        return true;
    }
}

/// <summary>The outcome of a sign-up.</summary>
internal sealed record SignUpResult(User? User, string? ErrorCode, string? Error)
{
    public static SignUpResult Created(User user) => new(user, null, null);

    public static SignUpResult Invalid(string code, string message) => new(null, code, message);

    public static SignUpResult Taken() => new(null, "username-taken", "That username is taken; choose another.");
}
