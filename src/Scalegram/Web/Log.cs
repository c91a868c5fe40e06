namespace Scalegram.Web;

/// <summary>Log messages of the web tier: event IDs 1600-1699 (the ranges are listed on Scalegram.Data.Log).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1601, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    public static partial void UnhandledError(ILogger logger, Exception exception, string method, PathString path);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "Shared login limits unavailable; limiting on this node only.")]
    public static partial void SharedLoginLimitsUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Warning, Message = "The idempotency key of {Scope} was taken over before its answer was stored; a retry may run the request again.")]
    public static partial void IdempotencyKeyLost(ILogger logger, string scope);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Warning, Message = "Could not record, renew or release the idempotency key of {Scope}; it frees itself when its lease ends.")]
    public static partial void IdempotencyStoreFailed(ILogger logger, Exception exception, string scope);

    [LoggerMessage(EventId = 1605, Level = LogLevel.Information, Message = "Deleted {Count} expired idempotency keys.")]
    public static partial void IdempotencyKeysSwept(ILogger logger, int count);

    [LoggerMessage(EventId = 1606, Level = LogLevel.Warning, Message = "The idempotency key sweep failed; it runs again next period.")]
    public static partial void IdempotencySweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1607, Level = LogLevel.Information, Message = "Draining: readiness fails now; serving for {Delay} more before the server stops")]
    public static partial void Draining(ILogger logger, TimeSpan delay);
    [LoggerMessage(EventId = 1630, Level = LogLevel.Warning, Message = "Could not record the read-your-writes position of user {UserId}'s write; other nodes may serve that user a standby's older data until it catches up")]
    public static partial void ReadYourWritesNotRecorded(ILogger logger, long userId, Exception? exception);

    [LoggerMessage(EventId = 1631, Level = LogLevel.Warning, Message = "The database is failing over or unreachable; answered {Method} {Path} with 503")]
    public static partial void DatabaseUnavailable(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 1640, Level = LogLevel.Warning, Message = "Could not tell the other nodes that a session was revoked; their cached copies end within Web:SessionCacheTtlWithoutBackplane once their channel is down, else Web:SessionCacheTtl")]
    public static partial void SessionRevocationNotPublished(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1641, Level = LogLevel.Warning, Message = "The session revocation channel is down; cached sessions last Web:SessionCacheTtlWithoutBackplane until it is back")]
    public static partial void SessionRevocationChannelDown(ILogger logger, Exception exception);
}
