using System.Globalization;
using Microsoft.Net.Http.Headers;
using Scalegram.Storage;
using Scalegram.Web;

namespace Scalegram.Cdn;

/// <summary>
/// The origin for photo variants. Keys contain a content hash, so a public response never changes
/// and is cacheable forever; originals are never served. A private account's variants are served only
/// under a valid, unexpired signed URL (/media/s/{exp}/{sig}/{key}, see <see cref="MediaSigner"/>);
/// their public URL answers 404, exactly as a missing file does.
/// </summary>
internal static class MediaEndpoints
{
    public const string ServedPrefix = "p/";

    public static IEndpointRouteBuilder MapMedia(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/media/{**key}", ["GET", "HEAD"], async (string key, IBlobStore blobs, IMediaAccess access, HttpContext http) =>
        {
            if (!IsServable(key) || ContentTypeOf(key) is not { } contentType)
            {
                return Problems.NotFound("That media file");
            }

            if (PhotoIdOf(key) is { } photoId && await access.IsPrivateAsync(photoId, http.RequestAborted))
            {
                return Problems.NotFound("That media file");
            }

            return await ServeAsync(blobs, http, key, contentType, "public, max-age=31536000, immutable");
        })
        .WithName("GetMedia")
        .ExcludeFromDescription();

        app.MapMethods("/media/s/{exp}/{sig}/{**key}", ["GET", "HEAD"], async (string exp, string sig, string key, IBlobStore blobs, MediaSigner signer, HttpContext http) =>
        {
            // The signature is checked before anything is looked up, so a bad URL says nothing about
            // whether the file exists: unsigned, tampered and expired all answer the same 403.
            if (await signer.VerifyAsync(exp, sig, key, http.RequestAborted) != SignatureCheck.Valid)
            {
                return Problems.Forbidden("This media URL is not valid or has expired.");
            }

            if (!IsServable(key) || ContentTypeOf(key) is not { } contentType)
            {
                return Problems.NotFound("That media file");
            }

            // Private to the browser; the edge keeps it only under this exact URL until it expires (deploy/varnish).
            var maxAge = signer.SecondsLeft(exp).ToString(CultureInfo.InvariantCulture);
            return await ServeAsync(blobs, http, key, contentType, $"private, max-age={maxAge}");
        })
        .WithName("GetSignedMedia")
        .ExcludeFromDescription();
        return app;
    }

    /// <summary>The photo ID of a variant key (p/{photoId}/...), or null for keys of another shape.</summary>
    public static long? PhotoIdOf(string key)
    {
        var end = key.IndexOf('/', ServedPrefix.Length);
        return end > ServedPrefix.Length && long.TryParse(key.AsSpan(ServedPrefix.Length, end - ServedPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    private static bool IsServable(string key) => key.StartsWith(ServedPrefix, StringComparison.Ordinal) && BlobKey.IsValid(key);

    private static async Task<IResult> ServeAsync(IBlobStore blobs, HttpContext http, string key, string contentType, string cacheControl)
    {
        var stream = await blobs.OpenReadAsync(key, http.RequestAborted);
        if (stream is null)
        {
            return Problems.NotFound("That media file");
        }

        var headers = http.Response.Headers;
        headers.CacheControl = cacheControl;
        headers.XContentTypeOptions = "nosniff";
        var request = http.Request.Headers;
        if (HttpMethods.IsGet(http.Request.Method) && stream.CanSeek && request.Range.Count == 0 && request.IfNoneMatch.Count == 0 && request.IfModifiedSince.Count == 0)
        {
            // The whole object goes out: what the origin serves with and without an edge in front (bench/cdn).
            http.RequestServices.GetService<CdnMetrics>()?.MediaSent(stream.Length);
        }

        var etag = new EntityTagHeaderValue($"\"{key[(key.LastIndexOf('-') + 1)..key.LastIndexOf('.')]}\"");
        return Results.Stream(stream, contentType, entityTag: etag, enableRangeProcessing: true);
    }

    private static string? ContentTypeOf(string key) => Path.GetExtension(key) switch
    {
        ".jpg" => "image/jpeg",
        ".webp" => "image/webp",
        ".avif" => "image/avif",
        ".png" => "image/png",
        _ => null,
    };
}
