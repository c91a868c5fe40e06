using Microsoft.Extensions.Options;
using Scalegram.Accounts;
using Scalegram.Data;
using Scalegram.Feed;
using Scalegram.Jobs;
using Scalegram.Photos;
using Scalegram.Social;
using Scalegram.Web.Idempotency;

namespace Scalegram.Workers;

/// <summary>
/// Erases a deleted account on every store, one bounded batch (Accounts:DeletionBatchSize rows) per
/// transaction so thousands of photos never make one huge transaction. Every step deletes "whatever is
/// left", so the whole run is idempotent and resumable: a crash anywhere, then a rerun, ends in the same
/// state, and each photo's purge jobs are enqueued with the photo's delete, so never twice. The user row
/// goes last: while it exists (marked deleted) the account stays hidden and its name reserved.
/// </summary>
internal sealed class AccountEraser(
    Database db,
    AccountDeletion deletion,
    AccountStore accounts,
    SessionStore sessions,
    PhotoErasure photos,
    SocialErasure social,
    IOptions<AccountsOptions> options,
    ILogger<AccountEraser> logger)
{
    /// <summary>Runs the erasure; <paramref name="afterBatch"/> (tests) is called after each committed batch with the step's name.</summary>
    public async Task RunAsync(AccountDeletionJob job, CancellationToken ct, Func<string, Task>? afterBatch = null)
    {
        var id = job.UserId;
        var n = options.Value.DeletionBatchSize;
        var batches = 0;

        async Task RepeatAsync(string step, Func<Task<int>> batch)
        {
            while (await batch() > 0)
            {
                batches++;
                if (afterBatch is not null)
                {
                    await afterBatch(step);
                }
            }
        }

        await deletion.HideAsync(job, ct);
        await RepeatAsync("photos", () => photos.DeleteOwnedBatchAsync(id, n, ct));
        foreach (var store in db.Stores)
        {
            await RepeatAsync("likes", () => photos.DeleteLikesBatchAsync(store, id, n, ct));
            await RepeatAsync("comments", () => photos.DeleteCommentsBatchAsync(store, id, n, ct));
        }

        // Every "following" truth before any "followers" mirror: a mirror job still in flight then finds no truth to copy.
        foreach (var store in db.Stores)
        {
            await RepeatAsync("following", () => social.DeleteFollowingBatchAsync(store, id, n, ct));
        }

        foreach (var store in db.Stores)
        {
            await RepeatAsync("followers", () => social.DeleteFollowersBatchAsync(store, id, n, ct));
            await RepeatAsync("follow-requests", () => SocialErasure.DeleteRequestsBatchAsync(store, id, n, ct));
            await RepeatAsync("timeline", () => TimelineStore.DeleteOfUserBatchAsync(store, id, n, ct));
            await RepeatAsync("idempotency-keys", () => IdempotencyStore.DeleteOfUserBatchAsync(store, id, n, ct));
            await RepeatAsync("write-keys", () => WriteKeys.DeleteScopedBatchAsync(store, IdempotencyScope.ForUser(id).Name + " ", n, ct));
        }

        await RepeatAsync("sessions", () => sessions.DeleteOfUserAsync(id, n, ct));
        await social.DeletePrivacyAsync(id, ct);

        // An upload that committed in the instant before the account was marked deleted would survive the first pass.
        await RepeatAsync("photos", () => photos.DeleteOwnedBatchAsync(id, n, ct));
        await accounts.EraseAsync(id, ct);
        await deletion.HideAsync(job, ct);
        Log.AccountErased(logger, id, batches);
    }
}
