using System.ComponentModel.DataAnnotations;

namespace Scalegram.Observability;

/// <summary>The observability tier's settings (section "Observability").</summary>
internal sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    /// <summary>An OTLP collector (e.g. http://127.0.0.1:4317); when set, traces, metrics and logs are exported to it too.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>How often the ops page's sampler closes a data point.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Observability:SampleInterval must be between 1 s and 10 min.")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How much history the ops page keeps in memory (the ring buffer's span).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Observability:History must be between 1 min and 1 day.")]
    public TimeSpan History { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A separate port for /metrics and /openapi (a second Kestrel endpoint); the public port then answers 404 for them.
    /// Unset (the default): they answer only local callers that came through no proxy. Firewall this port to the scrapers.
    /// </summary>
    [Range(1, 65535, ErrorMessage = "Observability:ManagementPort must be a TCP port (1-65535).")]
    public int? ManagementPort { get; set; }

    /// <summary>The address the management port binds to: loopback unless a scraper on another machine needs it (then firewall it).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Observability:ManagementHost must be an address such as 127.0.0.1 or 0.0.0.0.")]
    public string ManagementHost { get; set; } = "127.0.0.1";
}
