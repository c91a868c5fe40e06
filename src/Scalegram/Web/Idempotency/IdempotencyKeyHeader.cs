namespace Scalegram.Web.Idempotency;

/// <summary>Reads the Idempotency-Key header: 1 to 255 printable ASCII characters, bare or as a quoted string (the IETF draft's sf-string).</summary>
internal static class IdempotencyKeyHeader
{
    public const string Name = "Idempotency-Key";
    public const int MaxLength = 255;

    /// <summary>False when the header is absent; else whether it is valid, with the key.</summary>
    public static bool TryRead(HttpRequest request, out string? key, out bool valid)
    {
        key = null;
        valid = false;
        if (!request.Headers.TryGetValue(Name, out var values))
        {
            return false;
        }

        if (values.Count == 1 && values[0] is { } value)
        {
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            valid = value.Length is > 0 and <= MaxLength && value.All(c => c is >= ' ' and <= '~');
            key = valid ? value : null;
        }

        return true;
    }
}
