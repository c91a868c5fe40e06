using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Scalegram.LoadBalancing;

/// <summary>
/// The first step of the proxy pipeline (before YARP's load balancing, passive health and forwarding): runs the
/// rest of the pipeline, and when the node failed before any response byte and <see cref="RetryRules"/> say the
/// request is safe to repeat, runs it again on another available node (the failed ones excluded), with the body
/// replayed from a buffer. Also counts every attempt and turns YARP's empty error answers into problem details.
/// </summary>
internal sealed class RetryOnAnotherNode(RequestDelegate next, IOptions<LoadBalancingOptions> options, LoadBalancerMetrics metrics, TimeProvider time, ILogger<RetryOnAnotherNode> logger)
{
    // Bodies up to this size stay in memory while they may be replayed; larger ones go to a temporary file.
    private const int MemoryBufferBytes = 64 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        // Error answers are written here; the framework must not add a body to a node's own empty 4xx/5xx.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        var settings = options.Value;
        var request = context.Request;
        var whyNot = settings.Retries == 0 ? "retries are off (LoadBalancing:Retries=0)" : RetryRules.WhyNotRepeatable(request, settings.MaxRetryBodyBytes);
        if (whyNot is null && RetryRules.HasBody(request))
        {
            // Known length: at most the limit by the check above. Chunked: kept whatever its size (spilled to a
            // temporary file past 64 KB) so the first attempt never fails for it; too large only means no retry.
            request.EnableBuffering(MemoryBufferBytes, request.ContentLength is null ? long.MaxValue : settings.MaxRetryBodyBytes);
        }

        var proxy = context.GetReverseProxyFeature();
        var failed = new List<DestinationState>();
        for (var attempt = 0; ; attempt++)
        {
            var started = time.GetTimestamp();
            await next(context);
            var destination = proxy.ProxiedDestination?.DestinationId ?? LoadBalancerMetrics.NoDestination;
            var error = context.Features.Get<IForwarderErrorFeature>();
            metrics.Attempt(destination, Outcome(context, error), time.GetElapsedTime(started));
            if (error is null)
            {
                return;
            }

            if (error.Error == ForwarderError.NoAvailableDestinations)
            {
                Log.NoHealthyNode(logger, request.Method, request.Path);
                await ProxyProblems.NoHealthyNodeAsync(context, settings.HealthCheckInterval);
                return;
            }

            var reason = whyNot
                ?? RetryRules.BufferedTooMuch(request, settings.MaxRetryBodyBytes)
                ?? (context.Response.HasStarted ? "the response had started" : null)
                ?? (!RetryRules.IsRetryableFailure(error.Error, error.Exception) ? "another node would not fare better" : null)
                ?? (attempt >= settings.Retries ? $"it was tried {attempt + 1} times (LoadBalancing:Retries={settings.Retries})" : null)
                ?? (context.RequestAborted.IsCancellationRequested ? "the client went away" : null);
            if (reason is null && proxy.ProxiedDestination is { } tried)
            {
                failed.Add(tried);
                var others = proxy.Route.Cluster!.DestinationsState.AvailableDestinations.Where(d => !failed.Contains(d)).ToList();
                if (others.Count > 0)
                {
                    Log.Retrying(logger, request.Method, request.Path, destination, error.Error.ToString(), others.Count);
                    metrics.Retry(Kebab(error.Error));
                    Reset(context, proxy, others);
                    continue;
                }

                reason = "no other node is available";
            }

            reason ??= "no node was tried";
            Log.NotRetried(logger, request.Method, request.Path, destination, error.Error.ToString(), reason);
            if (!context.Response.HasStarted && ProxyProblems.ForErrorAsync(context, error.Error, reason) is { } writing)
            {
                await writing;
            }

            return;
        }
    }

    /// <summary>Makes the request as it was before the failed attempt: no error, no response, the body at its start, only the other nodes to choose from.</summary>
    private static void Reset(HttpContext context, IReverseProxyFeature proxy, IReadOnlyList<DestinationState> others)
    {
        context.Features.Set<IForwarderErrorFeature>(null);
        context.Response.Clear();
        if (context.Request.Body.CanSeek)
        {
            context.Request.Body.Position = 0;
        }

        proxy.AvailableDestinations = others;
        proxy.ProxiedDestination = null;
    }

    private static string Outcome(HttpContext context, IForwarderErrorFeature? error) => error is null
        ? $"{context.Response.StatusCode / 100}xx"
        : error.Error == ForwarderError.NoAvailableDestinations ? ProxyProblems.NoHealthyNode : Kebab(error.Error);

    private static string Kebab(ForwarderError error) => string.Concat(error.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
