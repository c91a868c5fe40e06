namespace Scalegram.Roles;

/// <summary>The tiers and product parts a process can run; a role is a set of them.</summary>
[Flags]
internal enum NodeParts
{
    None = 0,

    /// <summary>Logs, traces and /metrics: every process.</summary>
    Observability = 1 << 0,

    /// <summary>Health endpoints and problem details: every process.</summary>
    Health = 1 << 1,
    Data = 1 << 2,
    Caching = 1 << 3,
    Storage = 1 << 4,
    Imaging = 1 << 5,
    Messaging = 1 << 6,
    Cdn = 1 << 7,

    /// <summary>The web tier: sessions, CSRF, rate limits, OpenAPI.</summary>
    Web = 1 << 8,

    /// <summary>Accounts, photos, social, feed: services and stores (and the jobs they send).</summary>
    Product = 1 << 9,

    /// <summary>The product's HTTP API under /api and the media origin.</summary>
    Api = 1 << 10,

    /// <summary>The web UI's pages and assets.</summary>
    Ui = 1 << 11,

    /// <summary>The ops page for administrators.</summary>
    Ops = 1 << 12,

    /// <summary>The job handlers and the loop that runs them.</summary>
    Workers = 1 << 13,

    /// <summary>The load balancer: YARP in front of the web nodes, with health checks and retries.</summary>
    LoadBalancing = 1 << 14,
}
