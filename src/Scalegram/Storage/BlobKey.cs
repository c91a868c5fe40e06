using System.Text.RegularExpressions;

namespace Scalegram.Storage;

/// <summary>The shape of a blob key: lowercase segments of [a-z0-9_-] with one extension. Anything else is refused.</summary>
internal static partial class BlobKey
{
    public static bool IsValid(string key) => key.Length <= 200 && Pattern().IsMatch(key);

    public static string Ensure(string key) =>
        IsValid(key) ? key : throw new ArgumentException($"'{key}' is not a valid blob key.", nameof(key));

    [GeneratedRegex(@"\A[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*(\.[a-z0-9]{1,5})?\z")]
    private static partial Regex Pattern();
}
