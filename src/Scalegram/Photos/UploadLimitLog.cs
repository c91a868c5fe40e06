namespace Scalegram.Photos;

/// <summary>Log messages of Photos' upload limits: event IDs 2280-2289 (Photos has 2200-2299).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2280, Level = LogLevel.Warning, Message = "The upload rate limit cannot reach Redis; counting uploads on this node only")]
    public static partial void UploadLimitUnavailable(ILogger logger, Exception exception);
}
