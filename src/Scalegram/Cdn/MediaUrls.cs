namespace Scalegram.Cdn;

/// <summary>
/// Turns blob keys into the URLs clients fetch: the edge's while it is healthy (<see cref="EdgeHealth"/>),
/// else the origin's /media, so a dead edge never breaks images on pages rendered after it died.
/// </summary>
internal sealed class MediaUrls(EdgeHealth edge, Microsoft.Extensions.Options.IOptions<CdnOptions> options)
{
    public const string PathPrefix = "/media/";

    private readonly string _edge = (options.Value.BaseUrl ?? "").TrimEnd('/');

    public string For(string key) => edge.IsUp ? $"{_edge}{PathPrefix}{key}" : OriginFor(key);

    /// <summary>The origin's own URL of a key (relative: the host that rendered the page).</summary>
    public static string OriginFor(string key) => $"{PathPrefix}{key}";
}
