using System.Data.Common;

namespace Scalegram.Social;

/// <summary>Told of an unfollow inside the follower's transaction, so data derived from follows (timelines) changes with it.</summary>
internal interface IFollowListener
{
    Task UnfollowedAsync(DbTransaction tx, long followerId, long followeeId, CancellationToken ct);
}
