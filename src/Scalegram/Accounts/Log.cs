namespace Scalegram.Accounts;

/// <summary>Log messages of Accounts: event IDs 1100-1199 (the ranges are listed on Scalegram.Data.Log).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Deleted {Count} ended sessions")]
    public static partial void Swept(ILogger logger, int count);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Could not delete ended sessions; will try again")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "Could not grant the administrators named in Web:Admins")]
    public static partial void AdminsNotGranted(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Web:Admins names '{Username}', which has no account yet; it becomes an admin when it signs up")]
    public static partial void AdminWithoutAccount(ILogger logger, string username);
}
