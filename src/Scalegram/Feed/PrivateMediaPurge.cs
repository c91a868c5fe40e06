using Scalegram.Data;
using Scalegram.Data.Ids;
using Scalegram.Jobs;
using Scalegram.Messaging;
using Scalegram.Photos;
using Scalegram.Social;

namespace Scalegram.Feed;

/// <summary>
/// When an account turns private, queues a cdn.purge-public job per photo so the edges drop the public
/// variant URLs they cached (the origin already refuses them). Until a worker has run the jobs, an edge
/// may still serve a cached copy: the bound is the queue's delay, seconds normally (docs/privacy.md).
/// </summary>
internal sealed class PrivateMediaPurge(Database db, PhotoStore store, Outbox outbox) : IPrivacyListener
{
    private const int Batch = 200;

    public async Task BecamePrivateAsync(long userId, CancellationToken ct)
    {
        var before = long.MaxValue;
        while (true)
        {
            var page = await store.ListByOwnerAsync(userId, before, Batch, includeUnfinished: true, ct, fromPrimary: true);
            if (page.Count > 0)
            {
                await using var connection = await db.ForId(userId).Primary.OpenAsync(ct);
                await using var tx = await connection.BeginTransactionAsync(ct);
                foreach (var photo in page)
                {
                    await outbox.EnqueueAsync(tx, ScalegramId.ShardOf(photo.Id), JobTypes.PurgePublicMedia, new PurgePhotoJob(photo.Id, PhotoService.BlobKeysOf(photo)), ct);
                }

                await outbox.CommitAsync(tx, ct);
                before = page[^1].Id;
            }

            if (page.Count < Batch)
            {
                return;
            }
        }
    }
}
