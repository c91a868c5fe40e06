using Scalegram.Accounts;
using Scalegram.Caching;
using Scalegram.Data;
using Scalegram.Data.Ids;
using Scalegram.Jobs;
using Scalegram.Messaging;
using Scalegram.Observability;

namespace Scalegram.Social;

/// <summary>
/// Follow and unfollow. The follower's side is written with its jobs in one transaction; the
/// followee's mirror is then reconciled at once, and again by a job, so a crash in between loses nothing.
/// </summary>
internal sealed class FollowService(
    Database db,
    FollowStore store,
    FollowRequestStore requests,
    PrivacyStore privacy,
    Outbox outbox,
    EntityCache cache,
    TimeProvider time,
    IEnumerable<IFollowListener> listeners,
    ScalegramMetrics metrics)
{
    /// <summary>
    /// Follows a public account at once; for a private one, records a request its owner approves or
    /// denies (an existing follower stays a follower).
    /// </summary>
    public async Task<FollowOutcome> FollowAsync(long followerId, long followeeId, CancellationToken ct)
    {
        if (await privacy.IsPrivateAsync(followeeId, ct) && !await store.IsFollowingAsync(followerId, followeeId, ct, fromPrimary: true))
        {
            await requests.AddAsync(followeeId, followerId, time.GetUtcNow().ToUnixTimeMilliseconds(), ct);
            return FollowOutcome.Requested;
        }

        await SetAsync(followerId, followeeId, true, ct);
        return FollowOutcome.Following;
    }

    /// <summary>Unfollows, and withdraws a pending request if there is one.</summary>
    public async Task UnfollowAsync(long followerId, long followeeId, CancellationToken ct)
    {
        await requests.RemoveAsync(followeeId, followerId, ct);
        await SetAsync(followerId, followeeId, false, ct);
    }

    /// <summary>The owner approves a pending request: it becomes a follow. False if none was pending.</summary>
    public async Task<bool> ApproveAsync(long ownerId, long requesterId, CancellationToken ct)
    {
        if (!await requests.IsPendingAsync(ownerId, requesterId, ct))
        {
            return false;
        }

        // Follow first, then drop the request: a crash in between leaves a request that approves again harmlessly.
        await SetAsync(requesterId, ownerId, true, ct);
        await requests.RemoveAsync(ownerId, requesterId, ct);
        return true;
    }

    /// <summary>The owner denies a pending request. False if none was pending.</summary>
    public Task<bool> DenyAsync(long ownerId, long requesterId, CancellationToken ct) => requests.RemoveAsync(ownerId, requesterId, ct);

    public async Task SetAsync(long followerId, long followeeId, bool follow, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var connection = await db.ForId(followerId).Primary.OpenAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            var changed = follow
                ? await store.AddFollowingAsync(tx, followerId, followeeId, now, ct)
                : await store.RemoveFollowingAsync(tx, followerId, followeeId, ct);
            if (!changed)
            {
                // Already so: idempotent, nothing to do.
                await tx.CommitAsync(ct);
                return;
            }

            if (!follow)
            {
                foreach (var listener in listeners)
                {
                    await listener.UnfollowedAsync(tx, followerId, followeeId, ct);
                }
            }

            var shard = ScalegramId.ShardOf(followerId);
            await outbox.EnqueueAsync(tx, shard, JobTypes.MirrorFollow, new FollowJob(followerId, followeeId), ct);
            if (follow)
            {
                await outbox.EnqueueAsync(tx, shard, JobTypes.BackfillTimeline, new FollowJob(followerId, followeeId), ct);
            }

            await outbox.CommitAsync(tx, ct);
        }

        await store.ReconcileMirrorAsync(followerId, followeeId, now, ct);
        await cache.InvalidateAsync(AccountCacheKeys.Counts(followerId), ct);
        await cache.InvalidateAsync(AccountCacheKeys.Counts(followeeId), ct);
        if (follow)
        {
            metrics.Business("follow");
        }
    }
}


/// <summary>What a follow request did: followed at once, or waits for the owner's approval.</summary>
internal enum FollowOutcome
{
    Following,
    Requested,
}
