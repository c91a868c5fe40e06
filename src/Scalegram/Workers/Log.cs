namespace Scalegram.Workers;

/// <summary>Log messages of the workers (Scalegram.Workers and its sub-namespaces): event IDs 1700-1799 (the ranges are listed on Scalegram.Data.Log).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "Photo {PhotoId} failed: {Reason}")]
    public static partial void PhotoFailed(ILogger logger, long photoId, string reason);

    [LoggerMessage(EventId = 1710, Level = LogLevel.Information, Message = "Erased deleted account {UserId} in {Batches} batches")]
    public static partial void AccountErased(ILogger logger, long userId, int batches);
}
