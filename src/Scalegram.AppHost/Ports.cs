namespace Scalegram.AppHost;

/// <summary>Every address and port a topology uses, fixed, so the README and scripts can name them.</summary>
/// <remarks>
/// The entry point is always http://127.0.0.1:8080: web node 0 itself, or (scale-out) the floating
/// address 127.77.0.100:8080 that an iptables DNAT sends it to, held by whichever of the two load
/// balancers is the VRRP master. The 127.77.0.x addresses are those of deploy/keepalived/common.sh.
/// </remarks>
public static class Ports
{
    /// <summary>The entry point on 127.0.0.1 in every topology.</summary>
    public const int Entry = 8080;

    /// <summary>Web node i answers at 8080 + i; with load balancers 8080 is the entry, so at 8081 + i.</summary>
    public const int FirstWeb = 8080;

    /// <summary>Worker i serves /healthz and /metrics at 8180 + i.</summary>
    public const int FirstWorker = 8180;

    /// <summary>Prometheus, scraping exactly the processes the topology started.</summary>
    public const int Prometheus = 9090;

    public const int Postgres = 15432;

    /// <summary>The pg_auto_failover monitor (replicated topology).</summary>
    public const int PostgresMonitor = 15440;

    /// <summary>Formation node i (0-2) listens on 15441 + i; which one is primary changes with failovers.</summary>
    public const int FirstPostgresNode = 15441;

    public const int PostgresNodes = 3;
    public const int Redis = 16379;

    /// <summary>The cache Redis's replica: Sentinel promotes it when the primary dies (then it is the primary).</summary>
    public const int RedisReplica = 16380;

    /// <summary>Sentinel i (0-2) listens on 16381 + i; the nodes find the cache Redis primary through them.</summary>
    public const int FirstSentinel = 16381;

    public const int Sentinels = 3;
    public const int RabbitMqAmqp = 15672;
    public const int RabbitMqDist = 15673;
    public const int RabbitMqEpmd = 15674;

    /// <summary>Swift's S3 endpoint (cdn topology); its account, container and object servers and memcached take the next four ports.</summary>
    public const int SwiftS3 = 16400;

    /// <summary>The Varnish edge in front of /media and /static (cdn topology): what Cdn:BaseUrl points at.</summary>
    public const int Edge = 16480;

    /// <summary>The edge's management (varnishadm) port.</summary>
    public const int EdgeAdmin = 16481;

    /// <summary>The host's address on the bridge sgbr0: web nodes listen here too, so the LBs' namespaces reach them.</summary>
    public const string Bridge = "127.77.0.1";

    /// <summary>The floating address (VIP) the VRRP master holds; the LBs listen on it at <see cref="LoadBalancer"/>.</summary>
    public const string FloatingAddress = "127.77.0.100";

    /// <summary>Each load balancer listens on the VIP and on its own address at this port.</summary>
    public const int LoadBalancer = 8080;

    /// <summary>Web node i's port in the topology.</summary>
    public static int Web(Topology topology, int i) => FirstWeb + (topology.LoadBalancers > 0 ? 1 : 0) + i;

    /// <summary>Load balancer i's own address (in namespace lb<i>i</i>): 127.77.0.10, 127.77.0.11.</summary>
    public static string LoadBalancerAddress(int i) => $"127.77.0.{10 + i}";
}
