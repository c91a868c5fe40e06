using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Scalegram.Accounts;

/// <summary>Username rules: 3–30 letters, digits or underscores; unique regardless of case.</summary>
internal static partial class Username
{
    public static bool TryValidate([NotNullWhen(true)] string? raw, [NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrEmpty(raw) || !Pattern().IsMatch(raw))
        {
            error = "A username is 3 to 30 characters: letters a–z, digits 0–9 and underscores.";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The case-insensitive key usernames are unique by.</summary>
    public static string Key(string username) => username.ToLowerInvariant();

    [GeneratedRegex(@"\A[A-Za-z0-9_]{3,30}\z")]
    private static partial Regex Pattern();
}
