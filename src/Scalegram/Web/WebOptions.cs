using System.ComponentModel.DataAnnotations;

namespace Scalegram.Web;

/// <summary>The web tier's settings (section "Web").</summary>
internal sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Sign-in attempts allowed per client address per minute.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Web:SignInsPerMinute must be between 1 and 1,000,000.")]
    public int SignInsPerMinute { get; set; } = 600;

    /// <summary>Sign-ups allowed per client address per minute.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Web:SignUpsPerMinute must be between 1 and 1,000,000.")]
    public int SignUpsPerMinute { get; set; } = 600;

    /// <summary>Usernames made admins at start-up (comma-separated), besides `scalegram admin grant`.</summary>
    public string? Admins { get; set; }

    /// <summary>
    /// On SIGTERM: how long the node keeps serving with /healthz/ready failing before it stops accepting
    /// connections. At least the load balancer's HealthCheckInterval × UnhealthyThreshold plus a probe's time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Web:DrainDelay must be between 0 and 10 min.")]
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The name this node gives in its X-Scalegram-Node answer header; empty: machine name and port.</summary>
    public string? NodeName { get; set; }
}
