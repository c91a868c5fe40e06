using Microsoft.AspNetCore.Diagnostics;
using Scalegram.Data.Replication;
using Scalegram.Storage;

namespace Scalegram.Web;

/// <summary>Turns anything thrown under a machine path into a problem-details answer: 4xx for bad requests, 503 with Retry-After while the database fails over or the blob store is down, a plain 500 otherwise; never a stack trace.</summary>
internal sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        // The page exception handler has already rewritten Request.Path to /error: judge by the original path.
        var path = http.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? http.Request.Path.Value;
        if (MachinePaths.IsPage(new PathString(path)))
        {
            // A page request: the UI's error page answers in HTML (the exception handler logs the error).
            return false;
        }

        IResult problem;
        if (exception is BadHttpRequestException bad)
        {
            problem = bad.StatusCode == 413
                ? Problems.Of(413, "too-large", "The request body is too large.")
                : Problems.BadRequest("bad-request", bad.InnerException is System.Text.Json.JsonException
                    ? "The request body is not valid JSON for this endpoint."
                    : bad.Message);
        }
        else if (exception is BlobStoreUnavailableException unavailable)
        {
            // The store said nothing was stored: the client may safely send the same request again.
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(unavailable.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            problem = Problems.Of(StatusCodes.Status503ServiceUnavailable, "storage-unavailable",
                "Photo storage is not answering right now and nothing was saved; try again in a few seconds.", "Service unavailable");
        }
        else if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            return true;
        }
        else if (FailoverErrors.IsFailover(exception))
        {
            // A failover (or a node dying, or a commit waiting for a synchronous standby past Command Timeout)
            // is the database's state, not a bug: say when to come back. A write may or may not have been
            // applied; retrying with the same Idempotency-Key is safe.
            Log.DatabaseUnavailable(logger, exception, http.Request.Method, http.Request.Path);
            http.Response.Headers.RetryAfter = "2";
            problem = Problems.Of(503, "database-unavailable", "The database is failing over or briefly unreachable. Try again in a few seconds; a retried write with the same Idempotency-Key is applied once.");
        }
        else
        {
            Log.UnhandledError(logger, exception, http.Request.Method, http.Request.Path);
            problem = Problems.Of(500, "internal", "Something went wrong on our side; it has been logged. Try again.");
        }

        await problem.ExecuteAsync(http);
        return true;
    }
}
