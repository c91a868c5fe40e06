using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Scalegram.Web;

/// <summary>
/// The UI's scripts and styles, embedded in the executable (every web node carries the same
/// bytes, no files to deploy) and served at /static/{name}?v={content hash}: a versioned URL
/// never changes content, so it is cacheable forever by browsers and the CDN.
/// </summary>
internal sealed class StaticAssets
{
    public const string PathPrefix = "/static/";
    private const string ResourcePrefix = "static/";

    private readonly FrozenDictionary<string, Asset> _assets;

    public StaticAssets()
    {
        var assembly = typeof(StaticAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var name = resource[ResourcePrefix.Length..];
            assets[name] = new Asset(bytes, ContentTypeOf(name), Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]);
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The versioned URL of an asset; throws for a name that is not embedded, so a typo fails the first render.</summary>
    public string Url(string name) =>
        _assets.TryGetValue(name, out var asset) ? $"{PathPrefix}{name}?v={asset.Version}" : throw new ArgumentException($"No static asset named '{name}'.", nameof(name));

    internal bool TryGet(string name, out Asset asset) => _assets.TryGetValue(name, out asset!);

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    /// <summary>One embedded file with its content type and content-hash version.</summary>
    internal sealed record Asset(byte[] Bytes, string ContentType, string Version);
}

/// <summary>Maps GET /static/{name}.</summary>
internal static class StaticAssetEndpoints
{
    public static IEndpointRouteBuilder MapUiAssets(this IEndpointRouteBuilder app, StaticAssets assets)
    {
        app.MapMethods(StaticAssets.PathPrefix + "{name}", ["GET", "HEAD"], (string name, string? v, HttpContext http) =>
        {
            if (!assets.TryGet(name, out var asset))
            {
                return Problems.NotFound("That static file");
            }

            var headers = http.Response.Headers;
            headers.CacheControl = v == asset.Version ? "public, max-age=31536000, immutable" : "no-cache";
            headers.XContentTypeOptions = "nosniff";
            var etag = new EntityTagHeaderValue($"\"{asset.Version}\"");
            return Results.Bytes(asset.Bytes, asset.ContentType, entityTag: etag);
        })
        .ExcludeFromDescription();
        return app;
    }
}
