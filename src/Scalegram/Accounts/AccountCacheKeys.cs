namespace Scalegram.Accounts;

/// <summary>The cache keys of what a profile shows, so every write knows exactly which keys to invalidate.</summary>
internal static class AccountCacheKeys
{
    public static string User(long userId) => $"user:{userId}";

    public static string Username(string username) => $"username:{Accounts.Username.Key(username)}";

    /// <summary>Photo, follower and following counts: invalidated by uploads, deletes and follows.</summary>
    public static string Counts(long userId) => $"counts:{userId}";
}
