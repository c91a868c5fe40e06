using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Scalegram.LoadBalancing;

/// <summary>
/// When a failed request may be sent to another node: the request is safe to repeat (GET, HEAD, OPTIONS, PUT,
/// DELETE; POST or PATCH only with an Idempotency-Key), its body can be replayed (none, or a Content-Length
/// within the limit), and the node failed before sending any response byte in a way another node can fix.
/// </summary>
internal static class RetryRules
{
    public const string IdempotencyKey = "Idempotency-Key";

    /// <summary>Why a request is not repeatable, or null when it is.</summary>
    public static string? WhyNotRepeatable(HttpRequest request, long maxBodyBytes)
    {
        var method = request.Method;
        var idempotent = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
            || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);
        if (!idempotent && !(HttpMethods.IsPost(method) || HttpMethods.IsPatch(method)))
        {
            return $"{method} is never repeated";
        }

        if (!idempotent && string.IsNullOrWhiteSpace(request.Headers[IdempotencyKey]))
        {
            return $"a {method} without an {IdempotencyKey} header is never repeated";
        }

        if (!HasBody(request))
        {
            return null;
        }

        // A chunked body (no Content-Length, as most HTTP clients send JSON) is kept as it streams and
        // judged by its size when a retry is due (see BufferedTooMuch).
        return request.ContentLength is not { } length || length <= maxBodyBytes
            ? null
            : $"its body is larger than LoadBalancing:MaxRetryBodyBytes ({maxBodyBytes} bytes)";
    }

    /// <summary>Why a chunked body that was kept while streaming cannot be replayed, or null when it can.</summary>
    public static string? BufferedTooMuch(HttpRequest request, long maxBodyBytes) =>
        request.ContentLength is null && request.Body.CanSeek && request.Body.Length > maxBodyBytes
            ? $"its chunked body grew past LoadBalancing:MaxRetryBodyBytes ({maxBodyBytes} bytes)"
            : null;

    /// <summary>Whether the request carries a body (Kestrel knows: Content-Length above 0, or chunked).</summary>
    public static bool HasBody(HttpRequest request) =>
        request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;

    /// <summary>
    /// Whether the node failed before any response byte in a way another node may not: it refused or reset the
    /// connection, closed it before answering, failed while taking the body, or could not be connected to in
    /// time. A node that was reached and then went silent (a request timeout) is not retried: it may still be
    /// working on the request, and repeating slow requests multiplies the load on an overloaded tier.
    /// </summary>
    public static bool IsRetryableFailure(ForwarderError error, Exception? exception) => error switch
    {
        ForwarderError.Request or ForwarderError.RequestBodyDestination => true,
        ForwarderError.RequestTimedOut => IsConnectTimeout(exception),
        _ => false,
    };

    // SocketsHttpHandler reports a ConnectTimeout as a cancellation wrapping a TimeoutException; the
    // forwarder's own request timeout is a bare cancellation.
    private static bool IsConnectTimeout(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
