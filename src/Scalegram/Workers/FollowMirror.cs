using Scalegram.Jobs;
using Scalegram.Messaging;
using Scalegram.Social;

namespace Scalegram.Workers;

/// <summary>social.follow-mirror: makes the followee's followers row match the follower's following row.</summary>
internal sealed class FollowMirror(FollowStore follows, TimeProvider time) : IJobHandler
{
    public string Type => JobTypes.MirrorFollow;

    public Task HandleAsync(Job job, CancellationToken ct)
    {
        var follow = JobJson.Read<FollowJob>(job);
        return follows.ReconcileMirrorAsync(follow.FollowerId, follow.FolloweeId, time.GetUtcNow().ToUnixTimeMilliseconds(), ct);
    }
}
