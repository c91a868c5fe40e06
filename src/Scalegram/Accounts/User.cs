namespace Scalegram.Accounts;

/// <summary>A user row as stored on the user's shard.</summary>
internal sealed class User
{
    public long Id { get; init; }

    public string Username { get; init; } = "";

    public string DisplayName { get; init; } = "";

    public string PasswordHash { get; init; } = "";

    public bool IsAdmin { get; init; }

    public long CreatedAt { get; init; }

    /// <summary>The same user with the password hash blanked, for caches and anything else that leaves the store.</summary>
    public User WithoutSecrets() => new() { Id = Id, Username = Username, DisplayName = DisplayName, IsAdmin = IsAdmin, CreatedAt = CreatedAt };
}
