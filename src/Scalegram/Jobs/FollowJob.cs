namespace Scalegram.Jobs;

/// <summary>social.follow-mirror and feed.backfill: one follow edge.</summary>
internal sealed record FollowJob(long FollowerId, long FolloweeId);
