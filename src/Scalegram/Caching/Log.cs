using Microsoft.Extensions.Logging;

namespace Scalegram.Caching;

/// <summary>Log messages of the cache tier: event IDs 1200-1299 (the ranges are listed on Scalegram.Data.Log).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Refreshing the cached count {Key} failed; it is retried at the next flush")]
    public static partial void CounterRefreshFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Redis memory figures are unavailable (INFO failed); the gauges are empty until it answers")]
    public static partial void RedisInfoUnavailable(ILogger logger, Exception exception);
}
