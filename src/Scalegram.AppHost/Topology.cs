using Microsoft.Extensions.Configuration;

namespace Scalegram.AppHost;

/// <summary>
/// A named rung of the ladder: which engine each tier uses and how many nodes of each role run.
/// Each preset adds one real server to the one before it. <see cref="LoadBalancers"/> (2 in scale-out)
/// puts two load balancers behind one floating address in front of the web nodes;
/// <see cref="ReplicatedPostgres"/> (replicated) runs the PostgreSQL store as a pg_auto_failover formation
/// (monitor, primary, two synchronous-quorum standbys) instead of one server; cdn adds <see cref="S3"/> (blobs in
/// OpenStack Swift's S3 API instead of the data directory) and <see cref="Edge"/> (a Varnish edge in front of /media).
/// </summary>
public sealed record Topology(string Name, bool Postgres, bool Redis, bool RabbitMq, int WebNodes, int Workers, bool Prometheus = true, int LoadBalancers = 0, bool ReplicatedPostgres = false, bool S3 = false, bool Edge = false)
{
    public static readonly IReadOnlyList<string> Names = ["single", "separate-db", "cached", "queued", "scale-out", "replicated", "cdn"];

    /// <summary>Builds a preset from the command line: --topology NAME [--web-nodes N] [--workers N] [--db sqlite|postgres] [--cache memory|redis] [--prometheus on|off].</summary>
    public static Topology From(IConfiguration args)
    {
        var name = args["topology"] ?? "single";
        var topology = name switch
        {
            "single" => new Topology(name, Postgres: false, Redis: false, RabbitMq: false, WebNodes: 1, Workers: 0),
            "separate-db" => new Topology(name, Postgres: true, Redis: false, RabbitMq: false, WebNodes: 1, Workers: 0),
            "cached" => new Topology(name, Postgres: true, Redis: true, RabbitMq: false, WebNodes: 1, Workers: 0),
            "queued" => new Topology(name, Postgres: true, Redis: true, RabbitMq: true, WebNodes: 1, Workers: 1),
            "scale-out" => new Topology(name, Postgres: true, Redis: true, RabbitMq: true, WebNodes: 3, Workers: 2, LoadBalancers: 2),
            "replicated" => new Topology(name, Postgres: true, Redis: true, RabbitMq: true, WebNodes: 3, Workers: 2, LoadBalancers: 2, ReplicatedPostgres: true),
            "cdn" => new Topology(name, Postgres: true, Redis: true, RabbitMq: true, WebNodes: 3, Workers: 2, LoadBalancers: 2, ReplicatedPostgres: true, S3: true, Edge: true),
            _ => throw new ArgumentException($"--topology must be one of {string.Join(", ", Names)} (got '{name}')."),
        };

        var web = Count(args, "web-nodes", topology.WebNodes);
        var workers = Count(args, "workers", topology.Workers);
        if (!topology.RabbitMq && (workers > 0 || web > 1))
        {
            // Without a broker a node runs web and worker in one process; more nodes need the queued topology.
            throw new ArgumentException($"--web-nodes and --workers need the queued topology (got {name}).");
        }

        if (topology.LoadBalancers > 0 && web == 0)
        {
            throw new ArgumentException($"--web-nodes must be at least 1 in {name}: the load balancers need a node to send to.");
        }

        var postgres = Engine(args, "db", "postgres", "sqlite", topology.Postgres);
        if (topology.ReplicatedPostgres && !postgres)
        {
            throw new ArgumentException($"--db sqlite does not go with {name}: its point is the replicated PostgreSQL store.");
        }

        return topology with
        {
            WebNodes = web,
            Workers = workers,
            Postgres = postgres,
            Redis = Engine(args, "cache", "redis", "memory", topology.Redis),
            Prometheus = Engine(args, "prometheus", "on", "off", topology.Prometheus),
        };
    }

    private static int Count(IConfiguration args, string key, int preset)
    {
        var text = args[key];
        if (text is null)
        {
            return preset;
        }

        return int.TryParse(text, out var n) && n is >= 0 and <= 20
            ? n
            : throw new ArgumentException($"--{key} must be a number from 0 to 20 (got '{text}').");
    }

    private static bool Engine(IConfiguration args, string key, string server, string embedded, bool preset) => args[key] switch
    {
        null => preset,
        var v when v == server => true,
        var v when v == embedded => false,
        var v => throw new ArgumentException($"--{key} must be {server} or {embedded} (got '{v}')."),
    };
}
