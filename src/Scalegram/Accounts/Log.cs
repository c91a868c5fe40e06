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

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Web:Admins lists account {UserId}, which does not exist; nothing granted")]
    public static partial void AdminWithoutAccount(ILogger logger, long userId);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "The sign-in throttle cannot reach Redis; counting failures on this node only")]
    public static partial void SignInThrottleUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Error, Message = "Stored username '{Username}' (user {UserId}) breaks the username rules (a control character or a final newline); rename or remove it")]
    public static partial void BadStoredUsername(ILogger logger, string username, long userId);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "Could not check the stored usernames")]
    public static partial void StoredUsernameCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Information, Message = "Upgraded the password hash of user {UserId} to PBKDF2-HMAC-SHA512 with {Iterations} iterations")]
    public static partial void PasswordHashUpgraded(ILogger logger, long userId, int iterations);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Warning, Message = "Could not note that a session was used (last_seen_at); it stays valid")]
    public static partial void LastSeenNotWritten(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Information, Message = "User {UserId} changed their password; {Revoked} other sessions revoked")]
    public static partial void PasswordChanged(ILogger logger, long userId, int revoked);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Information, Message = "User {UserId} revoked {Revoked} sessions ({Which})")]
    public static partial void SessionsRevoked(ILogger logger, long userId, int revoked, string which);

    [LoggerMessage(EventId = 1120, Level = LogLevel.Information, Message = "Account {UserId} deleted by its owner; its data is being erased by the account.delete job")]
    public static partial void AccountDeleted(ILogger logger, long userId);
}
