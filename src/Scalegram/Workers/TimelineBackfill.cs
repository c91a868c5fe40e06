using Scalegram.Feed;
using Scalegram.Jobs;
using Scalegram.Messaging;
using Scalegram.Photos;
using Scalegram.Social;

namespace Scalegram.Workers;

/// <summary>feed.backfill: on a new follow, brings the followee's recent photos into the follower's timeline.</summary>
internal sealed class TimelineBackfill(PhotoStore photos, FollowStore follows, TimelineStore timeline) : IJobHandler
{
    private const int Recent = 50;

    public string Type => JobTypes.BackfillTimeline;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var follow = JobJson.Read<FollowJob>(job);
        if (!await follows.IsFollowingAsync(follow.FollowerId, follow.FolloweeId, ct, fromPrimary: true))
        {
            return;
        }

        var recent = await photos.ListByOwnerAsync(follow.FolloweeId, long.MaxValue, Recent, includeUnfinished: false, ct, fromPrimary: true);
        await timeline.AddManyAsync(follow.FollowerId, recent.Select(p => (p.Id, p.OwnerId)), ct);
    }
}
