using Scalegram.Feed;
using Scalegram.Jobs;
using Scalegram.Messaging;
using Scalegram.Photos;
using Scalegram.Social;

namespace Scalegram.Workers;

/// <summary>feed.fanout: writes a ready photo into every follower's timeline (fan-out on write), a page of followers at a time.</summary>
internal sealed class FeedFanOut(PhotoStore photos, FollowStore follows, TimelineStore timeline) : IJobHandler
{
    private const int Batch = 500;

    public string Type => JobTypes.FanOutPhoto;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var photoId = JobJson.Read<PhotoJob>(job).PhotoId;
        var photo = await photos.GetAsync(photoId, ct, fromPrimary: true);
        if (photo is null || photo.Status != PhotoStatus.Ready)
        {
            return;
        }

        long after = 0;
        while (true)
        {
            var followers = await follows.FollowersAsync(photo.OwnerId, after, Batch, ct);
            if (followers.Count == 0)
            {
                return;
            }

            await timeline.AddAsync(followers, photo.Id, photo.OwnerId, ct);
            after = followers[^1];
        }
    }
}
