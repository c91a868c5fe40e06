using Microsoft.Extensions.Options;

namespace Scalegram.Cdn;

/// <summary>Turns blob keys into the URLs clients fetch: the CDN's when one is configured, else the origin's /media.</summary>
internal sealed class MediaUrls(IOptions<CdnOptions> options)
{
    public const string PathPrefix = "/media/";

    private readonly string _base = (options.Value.BaseUrl ?? "").TrimEnd('/');

    public string For(string key) => $"{_base}{PathPrefix}{key}";
}
