namespace Scalegram.Cdn;

/// <summary>The CDN tier's settings (section "Cdn").</summary>
internal sealed class CdnOptions
{
    public const string Section = "Cdn";

    /// <summary>Absolute base URL of an edge cache in front of /media (e.g. Varnish); empty: the origin serves media itself.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Path on the edge that answers 200 while it can serve (the VCL answers it without the origin).</summary>
    public string HealthPath { get; set; } = "/healthz/edge";

    /// <summary>How often a node checks the edge; media URLs fall back to the origin within about two of these.</summary>
    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one edge check may take before it counts as a failure.</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive failed checks before media URLs point at the origin (one success points them back).</summary>
    public int HealthFailures { get; set; } = 2;

    /// <summary>Admin base URL of every edge (one per Varnish) that deleted media are purged from.</summary>
    public List<string> PurgeUrls { get; set; } = [];

    /// <summary>How long one PURGE request may take.</summary>
    public TimeSpan PurgeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Working directories (varnishd -n) of edges on this machine, sampled with varnishstat for the hit ratio.</summary>
    public List<string> VarnishStatDirectories { get; set; } = [];

    /// <summary>How often the varnishstat counters are sampled.</summary>
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Base64 HMAC-SHA256 key (at least 32 bytes) that signs private media URLs, the same on every node.
    /// Empty: one is generated once and kept in the directory store, shared by every node (docs/privacy.md).
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>How long a signed media URL stays valid (it is valid for up to a fifth longer: expiries are rounded so URLs repeat and the edge can cache them).</summary>
    public TimeSpan SignedUrlLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
