namespace Scalegram.Cdn;

/// <summary>The CDN tier's settings (section "Cdn").</summary>
internal sealed class CdnOptions
{
    public const string Section = "Cdn";

    /// <summary>Absolute base URL of an edge cache in front of /media (e.g. Varnish); empty: the origin serves media itself.</summary>
    public string? BaseUrl { get; set; }
}
