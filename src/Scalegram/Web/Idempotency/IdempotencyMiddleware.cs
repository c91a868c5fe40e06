using System.Text;
using Scalegram.Data;

namespace Scalegram.Web.Idempotency;

/// <summary>
/// Makes retrying a POST safe on endpoints opted in with <c>.WithIdempotency()</c>. The first request with a
/// key claims it in the store (an insert on a unique key, so exactly one node wins), runs, and records its
/// answer; a retry with the same key and the same request within 24 h gets that answer again, marked
/// Idempotent-Replayed: true, and creates nothing. The same key with a different request is 422, a duplicate
/// while the first still runs is 409 with Retry-After. Only 2xx and 4xx answers are kept (not 408 or 429):
/// a 5xx, an exception or a crash frees the key (a crash when its lease ends) so the retry runs afresh.
/// Runs after authentication, CSRF and rate limits, so a request refused by those never touches a key.
/// </summary>
internal sealed class IdempotencyMiddleware(RequestDelegate next, IIdempotencyStore store, TimeProvider time, ILogger<IdempotencyMiddleware> logger)
{
    public const string ReplayedHeader = "Idempotent-Replayed";
    public static readonly TimeSpan KeyLifetime = WriteKeys.Lifetime;

    /// <summary>How long an in-progress marker holds without renewal; the owner renews it every third of that.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    public async Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpoint>() is null
            || !IdempotencyKeyHeader.TryRead(http.Request, out var key, out var valid))
        {
            await next(http);
            return;
        }

        if (!valid)
        {
            await Problems.BadRequest(
                "invalid-idempotency-key",
                $"{IdempotencyKeyHeader.Name} is 1 to {IdempotencyKeyHeader.MaxLength} printable ASCII characters, sent once (a UUID is best).")
                .ExecuteAsync(http);
            return;
        }

        var scope = IdempotencyScope.Of(http);
        using var fingerprint = new BodyFingerprint(http.Request.ContentType);
        var body = new FingerprintingStream(http.Request.Body, fingerprint);
        http.Request.Body = body;
        var owner = Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow();
        var held = await store.ClaimAsync(scope, key!, owner, now, now + Lease, now + KeyLifetime, http.RequestAborted);
        if (held is null)
        {
            // Handlers that create something claim the same key in their own transaction (Data/WriteKeys),
            // so a retry after an unknown outcome finds what the first run committed.
            // Scoped by method and path too: the fingerprint check (422) lives in the key row, which a 5xx frees,
            // so a key reused for another request after that must not find this request's resource.
            http.Features.Set(new WriteKey($"{scope.Name} {http.Request.Method} {http.Request.Path}", key!));
            await RunAsync(http, scope, key!, owner, body, fingerprint);
        }
        else
        {
            await AnswerHeldAsync(http, held, body, fingerprint);
        }
    }

    /// <summary>The key is someone else's: wait (409), a different request (422), or the replay.</summary>
    private static async Task AnswerHeldAsync(HttpContext http, IdempotencyRecord held, FingerprintingStream body, BodyFingerprint fingerprint)
    {
        if (held.Response is not { } response)
        {
            http.Response.Headers.RetryAfter = "1";
            await Problems.Conflict(
                "idempotency-key-in-progress",
                $"A request with this {IdempotencyKeyHeader.Name} is still running; retry in a moment to get its answer.")
                .ExecuteAsync(http);
            return;
        }

        await body.DrainAsync(http.RequestAborted);
        if (fingerprint.Finish(http.Request) != held.Fingerprint)
        {
            await Problems.Of(
                StatusCodes.Status422UnprocessableEntity,
                "idempotency-key-reused",
                $"This {IdempotencyKeyHeader.Name} was already used for a different request (method, path or body); use a new key for a new request.")
                .ExecuteAsync(http);
            return;
        }

        http.Response.StatusCode = response.Status;
        if (response.ContentType is not null)
        {
            http.Response.ContentType = response.ContentType;
        }

        if (response.Location is not null)
        {
            http.Response.Headers.Location = response.Location;
        }

        http.Response.Headers[ReplayedHeader] = "true";
        await http.Response.WriteAsync(response.Body, Encoding.UTF8, http.RequestAborted);
    }

    /// <summary>Runs the request holding the key, with its answer captured so it can be recorded before it is sent.</summary>
    private async Task RunAsync(HttpContext http, IdempotencyScope scope, string key, string owner, FingerprintingStream body, BodyFingerprint fingerprint)
    {
        var ct = http.RequestAborted;
        var sent = http.Response.Body;
        using var captured = new MemoryStream();
        using var stopRenewing = new CancellationTokenSource();
        var renewing = RenewAsync(scope, key, owner, stopRenewing.Token);
        var recorded = false;
        http.Response.Body = captured;
        try
        {
            await next(http);
            var status = http.Response.StatusCode;
            if (status is (>= 200 and < 300) or (>= 400 and < 500 and not 408 and not 429)
                && await FingerprintAsync(body, fingerprint, http, ct) is { } print)
            {
                var answer = new StoredResponse(status, http.Response.ContentType, http.Response.Headers.Location, Encoding.UTF8.GetString(captured.GetBuffer(), 0, (int)captured.Length));
                recorded = await RecordAsync(scope, key, owner, print, answer, ct);
            }
        }
        finally
        {
            await stopRenewing.CancelAsync();
            await renewing;
            http.Response.Body = sent;
            if (!recorded)
            {
                await ReleaseAsync(scope, key, owner);
            }
        }

        captured.Position = 0;
        await captured.CopyToAsync(sent, ct);
    }

    /// <summary>The whole request's fingerprint; null if the body cannot be read to its end (too large, malformed), so nothing is recorded.</summary>
    private static async Task<string?> FingerprintAsync(FingerprintingStream body, BodyFingerprint fingerprint, HttpContext http, CancellationToken ct)
    {
        try
        {
            await body.DrainAsync(ct);
            return fingerprint.Finish(http.Request);
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException)
        {
            return null;
        }
    }

    private async Task<bool> RecordAsync(IdempotencyScope scope, string key, string owner, string fingerprint, StoredResponse answer, CancellationToken ct)
    {
        try
        {
            if (await store.CompleteAsync(scope, key, owner, fingerprint, answer, ct))
            {
                return true;
            }

            Log.IdempotencyKeyLost(logger, scope.Name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The request did its work; its answer still goes out, and the key is released below.
            Log.IdempotencyStoreFailed(logger, e, scope.Name);
        }

        return false;
    }

    /// <summary>Frees the key; given its own deadline, since the request's token may be the reason it failed.</summary>
    private async Task ReleaseAsync(IdempotencyScope scope, string key, string owner)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await store.ReleaseAsync(scope, key, owner, deadline.Token);
        }
        catch (Exception e)
        {
            Log.IdempotencyStoreFailed(logger, e, scope.Name);
        }
    }

    /// <summary>Keeps the in-progress marker alive while a long request (a slow upload) runs.</summary>
    private async Task RenewAsync(IdempotencyScope scope, string key, string owner, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Lease / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await store.RenewAsync(scope, key, owner, time.GetUtcNow() + Lease, stop);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.IdempotencyStoreFailed(logger, e, scope.Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
