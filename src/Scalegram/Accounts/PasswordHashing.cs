using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace Scalegram.Accounts;

/// <summary>
/// Password hashes as PBKDF2-HMAC-SHA512 with 210,000 iterations (OWASP's minimum), stored self-describing:
/// <c>$pbkdf2-sha512$i=210000$SALT$HASH</c> (base64). Older hashes (ASP.NET Identity's format, 100,000
/// iterations) still verify and are reported as needing an upgrade, which sign-in does.
/// </summary>
internal static class PasswordHashing
{
    public const int Iterations = 210_000;

    /// <summary>Longest password hashed at all, in UTF-8 bytes: anything longer is refused before any work.</summary>
    public const int MaxBytes = 1024;

    private const string Scheme = "$pbkdf2-sha512$";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private static readonly PasswordHasher<object> Legacy = new();

    public static string Hash(string password) => Hash(password, RandomNumberGenerator.GetBytes(SaltBytes), Iterations);

    /// <summary>Whether <paramref name="password"/> matches; <paramref name="needsUpgrade"/> when the hash is of an older kind or cost.</summary>
    public static bool Verify(string storedHash, string password, out bool needsUpgrade)
    {
        needsUpgrade = false;
        if (!storedHash.StartsWith(Scheme, StringComparison.Ordinal))
        {
            var legacy = Legacy.VerifyHashedPassword(new object(), storedHash, password);
            needsUpgrade = legacy != PasswordVerificationResult.Failed;
            return needsUpgrade;
        }

        var parts = storedHash[Scheme.Length..].Split('$');
        if (parts.Length != 3 || !parts[0].StartsWith("i=", StringComparison.Ordinal)
            || !int.TryParse(parts[0].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[1]);
            expected = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, expected.Length);
        var matches = CryptographicOperations.FixedTimeEquals(actual, expected);
        needsUpgrade = matches && iterations < Iterations;
        return matches;
    }

    /// <summary>Whether the password is too long to hash (a multi-megabyte password would cost seconds of CPU).</summary>
    public static bool IsTooLong(string? password) => password is not null && (password.Length > MaxBytes || Encoding.UTF8.GetByteCount(password) > MaxBytes);

    internal static string Hash(string password, byte[] salt, int iterations)
    {
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}i={iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }
}
