namespace Scalegram.Web;

/// <summary>Log messages of the web tier: event IDs 1600-1699 (the ranges are listed on Scalegram.Data.Log).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1601, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    public static partial void UnhandledError(ILogger logger, Exception exception, string method, PathString path);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "Shared login limits unavailable; limiting on this node only.")]
    public static partial void SharedLoginLimitsUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Information, Message = "Draining: readiness fails now; serving for {Delay} more before the server stops")]
    public static partial void Draining(ILogger logger, TimeSpan delay);
}
