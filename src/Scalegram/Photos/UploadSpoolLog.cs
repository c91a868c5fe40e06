namespace Scalegram.Photos;

/// <summary>Log messages of Photos' upload spool: event IDs 2290-2299 (Photos has 2200-2299; the ranges are listed on Scalegram.Data.Log).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2290, Level = LogLevel.Information, Message = "Deleted {Count} abandoned upload temp file(s) in {Directory}")]
    public static partial void SpoolSwept(ILogger logger, int count, string directory);

    [LoggerMessage(EventId = 2291, Level = LogLevel.Warning, Message = "Could not sweep the upload temp folder {Directory}; trying again next period")]
    public static partial void SpoolSweepFailed(ILogger logger, Exception exception, string directory);
}
