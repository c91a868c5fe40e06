using Scalegram.Cdn;

namespace Scalegram.Ops;

/// <summary>The answer of GET /api/ops/edges: the edge media URLs point at, whether it is up, and each edge's counters.</summary>
internal sealed record OpsEdges(bool Configured, bool Up, IReadOnlyList<OpsEdge> Edges)
{
    /// <summary>What this node knows of its edges now (nothing when it runs without the CDN tier).</summary>
    public static OpsEdges Of(EdgeHealth? health, EdgeStats? stats) => new(
        health?.Configured == true,
        health?.IsUp == true,
        [.. (stats?.Counters ?? []).Select(c => new OpsEdge(c.Edge, c.Hits, c.Misses, c.BackendRequests, c.Hits + c.Misses == 0 ? null : (double)c.Hits / (c.Hits + c.Misses)))]);
}

/// <summary>One edge's counters since it started (Edge: its varnishstat -n directory) and its hit ratio (null before any lookup).</summary>
internal sealed record OpsEdge(string Edge, long Hits, long Misses, long BackendRequests, double? HitRatio);
