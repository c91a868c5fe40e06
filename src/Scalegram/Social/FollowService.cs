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
    Outbox outbox,
    EntityCache cache,
    TimeProvider time,
    IEnumerable<IFollowListener> listeners,
    ScalegramMetrics metrics)
{
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

