using System.ComponentModel.DataAnnotations;

namespace Scalegram.LoadBalancing;

/// <summary>The load balancer's settings (section "LoadBalancing"); checked at start by <see cref="LoadBalancingOptionsValidator"/>.</summary>
internal sealed class LoadBalancingOptions
{
    public const string Section = "LoadBalancing";

    /// <summary>The web nodes, as absolute http(s) URLs: LoadBalancing:Destinations:0=http://127.0.0.1:8081, :1=..., ...</summary>
    public List<string> Destinations { get; set; } = [];

    /// <summary>How a node is picked among the healthy ones.</summary>
    public LoadBalancingPolicy Policy { get; set; } = LoadBalancingPolicy.RoundRobin;

    /// <summary>How often each node's /healthz/ready is probed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00", ErrorMessage = "LoadBalancing:HealthCheckInterval must be between 50 ms and 5 min.")]
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a probe may take before it counts as a failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00", ErrorMessage = "LoadBalancing:HealthCheckTimeout must be between 50 ms and 5 min.")]
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Failed probes in a row that take a node out of rotation (one successful probe brings it back).</summary>
    [Range(1, 100, ErrorMessage = "LoadBalancing:UnhealthyThreshold must be between 1 and 100.")]
    public int UnhealthyThreshold { get; set; } = 1;

    /// <summary>How long a node that failed too many proxied requests (passive check) stays out before it is tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "LoadBalancing:PassiveReactivationPeriod must be between 100 ms and 1 h.")]
    public TimeSpan PassiveReactivationPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long opening a connection to a node may take; past it the attempt fails (and is retried when safe).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "LoadBalancing:ConnectTimeout must be between 50 ms and 1 min.")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a node may stay silent (no response headers, or no body bytes) before the load balancer answers 504.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "LoadBalancing:RequestTimeout must be between 1 s and 1 h.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Extra attempts on another node for a request that failed before any response byte and is safe to repeat (0 turns retries off).</summary>
    [Range(0, 3, ErrorMessage = "LoadBalancing:Retries must be between 0 and 3.")]
    public int Retries { get; set; } = 1;

    /// <summary>Largest request body (by Content-Length) kept so that it can be replayed (above 64 KB in a temporary file): default above Photos:MaxUploadBytes; a larger or chunked body is never retried.</summary>
    [Range(0, 1L << 30, ErrorMessage = "LoadBalancing:MaxRetryBodyBytes must be between 0 and 1 GiB.")]
    public long MaxRetryBodyBytes { get; set; } = 32L << 20;

    /// <summary>On SIGTERM: how long the load balancer keeps serving with /healthz/ready failing before it stops accepting connections.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "LoadBalancing:DrainDelay must be between 0 and 10 min.")]
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Kestrel runs the proxy on the socket's I/O thread instead of handing each request to the thread pool
    /// (SocketTransportOptions.UnsafePreferInlineScheduling), and the scalegram process runs socket completions inline
    /// too (<see cref="InlineIo"/>): the proxy pipeline never blocks, and on a busy machine the hand-offs' thread
    /// wake-ups were the largest part of the load balancer's CPU per request.
    /// </summary>
    public bool InlineScheduling { get; set; } = true;

    /// <summary>
    /// Whether proxied requests are traced: a recorded span per request, and its W3C trace context (traceparent) sent to
    /// the node. Unset: on exactly when traces are exported (Observability:OtlpEndpoint), since the span's tags, the
    /// client Activity and the header cost CPU on every request and serve nothing when no trace leaves the process
    /// (the node then starts its own trace, as behind any other load balancer). The LB's own endpoints are traced as set up by Observability.
    /// </summary>
    public bool? TraceProxiedRequests { get; set; }
}
