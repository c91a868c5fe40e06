using System.Diagnostics.CodeAnalysis;

namespace Scalegram.Accounts;

/// <summary>Refuses short passwords and the ones attackers try first (a list shipped with the app).</summary>
internal static class PasswordPolicy
{
    public const int MinLength = 8;
    public const int MaxLength = 256;

    private static readonly HashSet<string> Common = Load();

    public static bool TryValidate([NotNullWhen(true)] string? password, string username, [NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength)
        {
            error = $"Choose a password of at least {MinLength} characters.";
        }
        else if (password.Length > MaxLength)
        {
            error = $"A password may be at most {MaxLength} characters.";
        }
        else if (password.Any(char.IsControl))
        {
            // Typed nowhere on purpose, and a NUL or line break is cut or changed by some clients: a password nobody could type again.
            error = "A password may not contain control characters (such as NUL, a tab or a line break).";
        }
        else if (Common.Contains(password.ToLowerInvariant()))
        {
            error = "That password is one of the most common ones and is easily guessed; choose another.";
        }
        else if (password.Contains(username, StringComparison.OrdinalIgnoreCase))
        {
            error = "A password must not contain the username.";
        }
        else
        {
            error = null;
            return true;
        }

        return false;
    }

    public static bool IsCommon(string password) => Common.Contains(password.ToLowerInvariant());

    private static HashSet<string> Load()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream("Accounts/common-passwords.txt")!;
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                set.Add(line.Trim().ToLowerInvariant());
            }
        }

        return set;
    }
}
