namespace Scalegram.Cdn;

/// <summary>Log messages of the CDN tier: event IDs 2700-2799 (the ranges are listed on Scalegram.Data.Log).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2701, Level = LogLevel.Warning, Message = "The edge {Edge} is down after {Failures} failed checks; media URLs point at the origin")]
    public static partial void EdgeDown(ILogger logger, string edge, int failures, Exception? exception);

    [LoggerMessage(EventId = 2702, Level = LogLevel.Information, Message = "The edge {Edge} is up; media URLs point at it")]
    public static partial void EdgeUp(ILogger logger, string edge);

    [LoggerMessage(EventId = 2703, Level = LogLevel.Warning, Message = "Could not purge {Url} from the edge {Edge}")]
    public static partial void PurgeFailed(ILogger logger, string url, string edge, Exception? exception);

    [LoggerMessage(EventId = 2704, Level = LogLevel.Warning, Message = "Could not read the counters of the edge at {Directory} (varnishstat)")]
    public static partial void StatsFailed(ILogger logger, string directory, Exception exception);
}
