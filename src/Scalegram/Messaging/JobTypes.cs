namespace Scalegram.Messaging;

/// <summary>Every job type and the queue it travels on. Names are stable: web and worker nodes deploy at different times.</summary>
public static class JobTypes
{
    public const string ProcessPhoto = "photo.process";
    public const string PurgePhoto = "photo.purge";
    public const string FanOutPhoto = "feed.fanout";
    public const string BackfillTimeline = "feed.backfill";
    public const string MirrorFollow = "social.follow-mirror";

    public static string QueueOf(string type) => type[..type.IndexOf('.')] switch
    {
        "photo" => "photos",
        "feed" => "feed",
        _ => "social",
    };
}
