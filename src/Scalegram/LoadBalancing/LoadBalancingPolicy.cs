namespace Scalegram.LoadBalancing;

/// <summary>How the load balancer picks a node among the healthy ones (YARP's built-in policies of the same names).</summary>
internal enum LoadBalancingPolicy
{
    /// <summary>Each node in turn.</summary>
    RoundRobin,

    /// <summary>The node with the fewest requests in flight from this load balancer.</summary>
    LeastRequests,

    /// <summary>Two nodes at random, the one with fewer requests in flight: near least-requests, without a herd on one node.</summary>
    PowerOfTwoChoices,
}
