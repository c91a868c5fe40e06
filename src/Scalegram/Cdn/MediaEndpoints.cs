using Microsoft.Net.Http.Headers;
using Scalegram.Storage;
using Scalegram.Web;

namespace Scalegram.Cdn;

/// <summary>
/// The origin for photo variants. Keys contain a content hash, so a response never changes
/// and is cacheable forever; originals are never served.
/// </summary>
internal static class MediaEndpoints
{
    public const string ServedPrefix = "p/";

    public static IEndpointRouteBuilder MapMedia(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/media/{**key}", ["GET", "HEAD"], async (string key, IBlobStore blobs, HttpContext http) =>
        {
            if (!key.StartsWith(ServedPrefix, StringComparison.Ordinal) || !BlobKey.IsValid(key) || ContentTypeOf(key) is not { } contentType)
            {
                return Problems.NotFound("That media file");
            }

            var stream = await blobs.OpenReadAsync(key, http.RequestAborted);
            if (stream is null)
            {
                return Problems.NotFound("That media file");
            }

            var headers = http.Response.Headers;
            headers.CacheControl = "public, max-age=31536000, immutable";
            headers.XContentTypeOptions = "nosniff";
            var etag = new EntityTagHeaderValue($"\"{key[(key.LastIndexOf('-') + 1)..key.LastIndexOf('.')]}\"");
            return Results.Stream(stream, contentType, entityTag: etag, enableRangeProcessing: true);
        })
        .WithName("GetMedia")
        .ExcludeFromDescription();
        return app;
    }

    private static string? ContentTypeOf(string key) => Path.GetExtension(key) switch
    {
        ".jpg" => "image/jpeg",
        ".webp" => "image/webp",
        ".png" => "image/png",
        _ => null,
    };
}
