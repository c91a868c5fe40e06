using System.Net.Sockets;
using Amazon.Runtime;
using Polly;
using Polly.Retry;

namespace Scalegram.Storage;

/// <summary>
/// Bounded retries (Polly) for one S3 call at a time, on transient failures only: no answer, a
/// timeout, 5xx, 408 or 429. When they run out the store counts as down: <see cref="BlobStoreUnavailableException"/>.
/// The SDK's own retries are off, so this is the one place that decides.
/// </summary>
internal sealed class S3Retry
{
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeSpan _retryAfter;
    private readonly ILogger _logger;

    public S3Retry(S3Options options, ILogger logger)
    {
        _retryAfter = options.RetryAfter;
        _logger = logger;
        var builder = new ResiliencePipelineBuilder();
        if (options.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.Retries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e, args.Context.CancellationToken)),
                OnRetry = args =>
                {
                    Log.Retrying(logger, args.Outcome.Exception, args.Context.OperationKey ?? "?", args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>Runs <paramref name="call"/> with retries; a store that stays down becomes <see cref="BlobStoreUnavailableException"/>.</summary>
    public async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(operation, ct);
        try
        {
            return await _pipeline.ExecuteAsync(static async (context, call) => await call(context.CancellationToken), context, call);
        }
        catch (Exception e) when (IsTransient(e, ct))
        {
            Log.Unavailable(_logger, e, operation);
            throw new BlobStoreUnavailableException($"The object store did not answer ({operation}); nothing was stored.", e, _retryAfter);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Worth another try: the store gave no answer, timed out, or said it is overloaded or failing; never a 4xx about the request itself.</summary>
    public static bool IsTransient(Exception exception, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return false;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AmazonServiceException service when service.StatusCode != 0:
                    var status = (int)service.StatusCode;
                    return status >= 500 || status is 408 or 429;
                case HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException:
                    // Not the caller's cancellation (checked above): a request timeout.
                    return true;
            }
        }

        return false;
    }
}
