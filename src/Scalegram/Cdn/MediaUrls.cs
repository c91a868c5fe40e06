namespace Scalegram.Cdn;

/// <summary>
/// Turns blob keys into the URLs clients fetch: the edge's while it is healthy (<see cref="EdgeHealth"/>),
/// else the origin's /media, so a dead edge never breaks images on pages rendered after it died.
/// </summary>
internal sealed class MediaUrls(EdgeHealth edge, MediaSigner signer, Microsoft.Extensions.Options.IOptions<CdnOptions> options)
{
    public const string PathPrefix = "/media/";

    private readonly string _edge = (options.Value.BaseUrl ?? "").TrimEnd('/');

    /// <summary>Whether <see cref="For"/> answers the edge's URLs now (a memo of public URLs is valid while this stays the same).</summary>
    public bool EdgeUp => edge.IsUp;

    public string For(string key) => edge.IsUp ? $"{_edge}{PathPrefix}{key}" : OriginFor(key);

    /// <summary>A short-lived signed URL of a private photo's variant, on the edge while it is healthy.</summary>
    public async ValueTask<string> SignedForAsync(string key, CancellationToken ct)
    {
        var path = await signer.SignAsync(key, ct);
        return edge.IsUp ? _edge + path : path;
    }

    /// <summary>The origin's own URL of a key (relative: the host that rendered the page).</summary>
    public static string OriginFor(string key) => $"{PathPrefix}{key}";
}
