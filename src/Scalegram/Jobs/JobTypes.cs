using Scalegram.Messaging;

namespace Scalegram.Jobs;

/// <summary>Every job type the product sends and the queue it travels on. Names are stable: web and worker nodes deploy at different times.</summary>
internal static class JobTypes
{
    public const string ProcessPhoto = "photo.process";
    public const string PurgePhoto = "photo.purge";
    public const string PurgeEdge = "cdn.purge";

    /// <summary>Purges a photo's public media URLs from the edges but keeps its blobs (its owner turned private).</summary>
    public const string PurgePublicMedia = "cdn.purge-public";
    public const string FanOutPhoto = "feed.fanout";
    public const string BackfillTimeline = "feed.backfill";
    public const string MirrorFollow = "social.follow-mirror";

    /// <summary>Erases a deleted account's data on every store (Workers/AccountEraser), in batches, resumably.</summary>
    public const string DeleteAccount = "account.delete";

    /// <summary>The catalogue the messaging tier is given: which queue carries each type.</summary>
    public static readonly IReadOnlyList<JobType> All =
    [
        new(ProcessPhoto, "photos"),
        new(PurgePhoto, "maintenance"), // purges and deletions: a backlog of them must not hold up photo processing
        new(PurgeEdge, "maintenance"),
        new(PurgePublicMedia, "maintenance"),
        new(FanOutPhoto, "feed"),
        new(BackfillTimeline, "feed"),
        new(MirrorFollow, "social"),
        new(DeleteAccount, "maintenance"),
    ];

    /// <summary>Every queue some job type travels on.</summary>
    public static IReadOnlyList<string> Queues => [.. All.Select(t => t.Queue).Distinct()];

    public static string QueueOf(string type) => All.Single(t => t.Name == type).Queue;
}
