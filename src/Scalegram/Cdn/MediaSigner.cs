using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Scalegram.Cdn;

/// <summary>
/// Signs and verifies private media URLs: /media/s/{exp}/{sig}/{key}, where exp is Unix seconds and sig is
/// base64url HMAC-SHA256 over "{exp}/{key}". Everything is in the path, so the edge's cache key is the whole
/// signed URL (it strips query strings from media). Expiries are rounded up to a fifth of the lifetime, so
/// everyone who loads the photo within that window gets the same URL and the edge can serve it from cache.
/// </summary>
internal sealed class MediaSigner(MediaSigningKey signingKey, IOptions<CdnOptions> options, TimeProvider time)
{
    public const string SignedPrefix = "/media/s/";

    private readonly long _lifetime = Math.Max(1, (long)options.Value.SignedUrlLifetime.TotalSeconds);

    /// <summary>The origin-relative signed path of a blob key.</summary>
    public async ValueTask<string> SignAsync(string key, CancellationToken ct)
    {
        var step = Math.Max(1, _lifetime / 5);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var exp = ((now + _lifetime + step - 1) / step) * step;
        var sig = Signature(await signingKey.GetAsync(ct), exp, key);
        return $"{SignedPrefix}{exp.ToString(CultureInfo.InvariantCulture)}/{sig}/{key}";
    }

    /// <summary>Whether a signed request is valid now: well-formed, unexpired and signed with our key (compared in constant time).</summary>
    public async ValueTask<SignatureCheck> VerifyAsync(string exp, string sig, string key, CancellationToken ct)
    {
        if (!long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
        {
            return SignatureCheck.Invalid;
        }

        var expected = Encoding.ASCII.GetBytes(Signature(await signingKey.GetAsync(ct), expiry, key));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(sig)))
        {
            return SignatureCheck.Invalid;
        }

        return expiry <= time.GetUtcNow().ToUnixTimeSeconds() ? SignatureCheck.Expired : SignatureCheck.Valid;
    }

    /// <summary>Seconds until a (valid) expiry, for the response's max-age.</summary>
    public long SecondsLeft(string exp) =>
        Math.Max(0, long.Parse(exp, NumberStyles.None, CultureInfo.InvariantCulture) - time.GetUtcNow().ToUnixTimeSeconds());

    private static string Signature(byte[] key, long exp, string blobKey) =>
        Base64Url(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{exp.ToString(CultureInfo.InvariantCulture)}/{blobKey}")));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>The outcome of checking a signed media URL.</summary>
internal enum SignatureCheck
{
    Valid,
    Expired,
    Invalid,
}
