using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Scalegram.Web;

/// <summary>The web tier's settings (section "Web").</summary>
internal sealed class WebOptions : IValidatableObject
{
    public const string Section = "Web";

    /// <summary>Sign-in attempts allowed per client address per minute (a shared NAT needs more; raise it).</summary>
    [Range(1, 1_000_000, ErrorMessage = "Web:SignInsPerMinute must be between 1 and 1,000,000.")]
    public int SignInsPerMinute { get; set; } = 30;

    /// <summary>Sign-ups allowed per client address per minute.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Web:SignUpsPerMinute must be between 1 and 1,000,000.")]
    public int SignUpsPerMinute { get; set; } = 10;

    /// <summary>Failed sign-ins on one account name before the name is locked (per name, on every node).</summary>
    [Range(1, 1000, ErrorMessage = "Web:SignInFailuresBeforeLock must be between 1 and 1000.")]
    public int SignInFailuresBeforeLock { get; set; } = 5;

    /// <summary>The first lock after too many failures; each further failure doubles it, up to <see cref="SignInLockMax"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Web:SignInLockBase must be between 1 s and 1 h.")]
    public TimeSpan SignInLockBase { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a name stays locked.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Web:SignInLockMax must be between 1 s and 1 day.")]
    public TimeSpan SignInLockMax { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Largest JSON (non-upload) request body in bytes; beyond it the answer is 413.</summary>
    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "Web:MaxJsonBodyBytes must be between 1 KiB and 16 MiB.")]
    public int MaxJsonBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Account IDs (comma-separated numbers, as /api/me shows them) made administrators at start-up, besides
    /// `scalegram admin grant NAME`. IDs, not names: a listed name could be claimed by whoever signs up first.
    /// </summary>
    public string? Admins { get; set; }

    /// <summary>The parsed <see cref="Admins"/>; malformed entries are left out (validation names them).</summary>
    public IReadOnlyList<long> AdminIds => [.. Items(Admins).Select(a => long.TryParse(a, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : 0).Where(id => id > 0)];

    /// <summary>
    /// On SIGTERM: how long the node keeps serving with /healthz/ready failing before it stops accepting
    /// connections. At least the load balancer's HealthCheckInterval × UnhealthyThreshold plus a probe's time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Web:DrainDelay must be between 0 and 10 min.")]
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a validated session is kept in this node's memory while revocations reach it through Redis
    /// (a revoked session is dropped on every node at once); 0 turns the session cache off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Web:SessionCacheTtl must be between 0 and 10 min.")]
    public TimeSpan SessionCacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a validated session is kept when revocations cannot reach this node (no Redis, or Redis down):
    /// the longest a session revoked on another node can still be used here.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Web:SessionCacheTtlWithoutBackplane must be between 0 and 1 min.")]
    public TimeSpan SessionCacheTtlWithoutBackplane { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most sessions kept in memory per node; beyond it, further sessions are read from the database each time.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Web:SessionCacheMaxEntries must be between 1 and 10,000,000.")]
    public int SessionCacheMaxEntries { get; set; } = 100_000;

    /// <summary>The name this node gives in its X-Scalegram-Node answer header; empty: machine name and port.</summary>
    public string? NodeName { get; set; }

    /// <summary>Proxy addresses (comma-separated) whose X-Forwarded-For/-Proto are believed; default none.</summary>
    public string? KnownProxies { get; set; }

    /// <summary>Proxy networks in CIDR notation (comma-separated) whose X-Forwarded-For/-Proto are believed; default none.</summary>
    public string? KnownNetworks { get; set; }

    /// <summary>The parsed <see cref="KnownProxies"/>; empty when none (or one is malformed: validation names it).</summary>
    public IReadOnlyList<IPAddress> Proxies => [.. Items(KnownProxies).Select(p => IPAddress.TryParse(p, out var a) ? a : null).OfType<IPAddress>()];

    /// <summary>The parsed <see cref="KnownNetworks"/>; empty when none (or one is malformed: validation names it).</summary>
    public IReadOnlyList<IPNetwork> Networks => [.. Items(KnownNetworks).Where(n => IPNetwork.TryParse(n, out _)).Select(n => IPNetwork.Parse(n))];

    /// <summary>Whether any proxy is trusted at all: only then are forwarded headers read.</summary>
    public bool TrustsProxies => Proxies.Count > 0 || Networks.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var admin in Items(Admins).Where(a => !long.TryParse(a, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id <= 0))
        {
            yield return new ValidationResult(
                $"Web:Admins: '{admin}' is not an account ID. List account IDs (the 'id' of /api/me), or run `scalegram admin grant {admin}` once the account exists.",
                [nameof(Admins)]);
        }

        if (SessionCacheTtlWithoutBackplane > SessionCacheTtl)
        {
            yield return new ValidationResult("Web:SessionCacheTtlWithoutBackplane must not be longer than Web:SessionCacheTtl.", [nameof(SessionCacheTtlWithoutBackplane)]);
        }

        if (SignInLockMax < SignInLockBase)
        {
            yield return new ValidationResult("Web:SignInLockMax must not be shorter than Web:SignInLockBase.", [nameof(SignInLockMax)]);
        }

        foreach (var proxy in Items(KnownProxies).Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"Web:KnownProxies: '{proxy}' is not an IP address (e.g. 10.0.0.5 or ::1).", [nameof(KnownProxies)]);
        }

        foreach (var network in Items(KnownNetworks).Where(n => !IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"Web:KnownNetworks: '{network}' is not a network in CIDR notation (e.g. 10.0.0.0/8).", [nameof(KnownNetworks)]);
        }
    }

    private static string[] Items(string? list) => list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
