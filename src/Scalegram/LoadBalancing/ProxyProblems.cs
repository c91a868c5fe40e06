using System.Globalization;
using Scalegram.Web;
using Yarp.ReverseProxy.Forwarder;

namespace Scalegram.LoadBalancing;

/// <summary>The load balancer's own error answers, as problem details with a stable code, in place of YARP's empty 502/503/504.</summary>
internal static class ProxyProblems
{
    public const string NoHealthyNode = "no-healthy-node";
    public const string NodeFailed = "node-failed";
    public const string NodeTimeout = "node-timeout";

    /// <summary>503 with Retry-After (one health interval, at least a second): no node passes its health checks right now.</summary>
    public static Task NoHealthyNodeAsync(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.Clear();
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Problems.Of(StatusCodes.Status503ServiceUnavailable, NoHealthyNode,
            "No web node is healthy right now; try again shortly.", "Service unavailable").ExecuteAsync(context);
    }

    /// <summary>The answer for a forwarding error that reached the client, or null when there is nothing to write (the client is gone).</summary>
    public static Task? ForErrorAsync(HttpContext context, ForwarderError error, string? notRetriedBecause)
    {
        var retry = notRetriedBecause is null ? "" : $" It was not retried: {notRetriedBecause}.";
        IResult? problem = error switch
        {
            ForwarderError.Request or ForwarderError.RequestCreation or ForwarderError.RequestBodyDestination or ForwarderError.ResponseHeaders =>
                Problems.Of(StatusCodes.Status502BadGateway, NodeFailed, "The web node failed before it answered." + retry, "Bad gateway"),
            ForwarderError.RequestTimedOut =>
                Problems.Of(StatusCodes.Status504GatewayTimeout, NodeTimeout, "The web node did not answer in time." + retry, "Gateway timeout"),
            _ => null,
        };
        if (problem is null)
        {
            return null;
        }

        context.Response.Clear();
        return problem.ExecuteAsync(context);
    }
}
