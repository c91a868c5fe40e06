namespace Scalegram.Caching;

/// <summary>Every cache key the app uses, in one place, so writes know exactly which keys to invalidate.</summary>
public static class CacheKeys
{
    public static string User(long userId) => $"user:{userId}";

    public static string Username(string username) => $"username:{Accounts.Username.Key(username)}";

    public static string Counts(long userId) => $"counts:{userId}";

    public static string Photo(long photoId) => $"photo:{photoId}";

    /// <summary>The entry kind of a key ("user", "photo", ...), used as a metric label.</summary>
    public static string EntryOf(string key) => key[..Math.Max(0, key.IndexOf(':'))];
}
