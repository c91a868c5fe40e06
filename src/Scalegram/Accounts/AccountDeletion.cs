using Microsoft.Extensions.Options;
using Scalegram.Caching;
using Scalegram.Data;
using Scalegram.Data.Ids;
using Scalegram.Jobs;
using Scalegram.Messaging;

namespace Scalegram.Accounts;

/// <summary>
/// Deletes an account at its owner's request: the password is checked again, the account is marked deleted
/// and the account.delete job enqueued in one transaction (the outbox), so from the commit on the account
/// is gone for every read and its erasure cannot be lost. Sessions are revoked and the name quarantined at
/// once; the job repeats both, then erases the data (Workers/AccountEraser).
/// </summary>
internal sealed class AccountDeletion(
    Database db,
    AccountStore store,
    SessionStore sessions,
    SignInThrottle throttle,
    Outbox outbox,
    EntityCache cache,
    TimeProvider time,
    IOptions<AccountsOptions> options,
    ILogger<AccountDeletion> logger)
{
    public async Task<AccountDeletionOutcome> DeleteAsync(long userId, string? password, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(password))
        {
            return AccountDeletionOutcome.PasswordMissing;
        }

        if (PasswordHashing.IsTooLong(password))
        {
            return AccountDeletionOutcome.WrongPassword;
        }

        if (await store.GetAsync(userId, ct, fromPrimary: true) is not { } user)
        {
            return AccountDeletionOutcome.Gone;
        }

        // A stolen session must not become a password oracle: failures count towards the sign-in lock.
        var nameKey = Username.Key(user.Username);
        if (await throttle.LockedForAsync(nameKey, ct) is { } lockedFor)
        {
            return AccountDeletionOutcome.Locked(lockedFor);
        }

        if (!PasswordHashing.Verify(user.PasswordHash, password, out _))
        {
            await throttle.FailedAsync(nameKey, ct);
            return AccountDeletionOutcome.WrongPassword;
        }

        var now = time.GetUtcNow();
        var job = new AccountDeletionJob(userId, user.Username, (now + options.Value.UsernameQuarantine).ToUnixTimeMilliseconds());
        await using (var connection = await db.ForId(userId).Primary.OpenAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            if (!await AccountStore.MarkDeletedAsync(tx, userId, now.ToUnixTimeMilliseconds(), ct))
            {
                await tx.RollbackAsync(ct);
                return AccountDeletionOutcome.Gone;
            }

            await outbox.EnqueueAsync(tx, ScalegramId.ShardOf(userId), JobTypes.DeleteAccount, job, ct);
            await outbox.CommitAsync(tx, ct);
        }

        // Committed: finish hiding the account even if the client went away (the job would, a little later).
        await HideAsync(job, CancellationToken.None);
        Log.AccountDeleted(logger, userId);
        return AccountDeletionOutcome.Deleted;
    }

    /// <summary>Quarantines the name, revokes every session and drops the cached account; repeatable.</summary>
    public async Task HideAsync(AccountDeletionJob job, CancellationToken ct)
    {
        await store.QuarantineNameAsync(job.UserId, job.Username, job.ReleasedAt, ct);
        await sessions.RevokeAllAsync(job.UserId, ct);
        await cache.InvalidateAsync(AccountCacheKeys.User(job.UserId), ct);
        await cache.InvalidateAsync(AccountCacheKeys.Username(job.Username), ct);
        await cache.InvalidateAsync(AccountCacheKeys.Counts(job.UserId), ct);
    }
}

/// <summary>What a request to delete an account came to.</summary>
internal sealed record AccountDeletionOutcome(string Kind, TimeSpan? LockedFor = null)
{
    public static readonly AccountDeletionOutcome Deleted = new("deleted");

    public static readonly AccountDeletionOutcome PasswordMissing = new("password-missing");

    public static readonly AccountDeletionOutcome WrongPassword = new("wrong-password");

    /// <summary>The account is already deleted (or never existed): its session is no longer valid anyway.</summary>
    public static readonly AccountDeletionOutcome Gone = new("gone");

    public static AccountDeletionOutcome Locked(TimeSpan remaining) => new("locked", remaining);
}
