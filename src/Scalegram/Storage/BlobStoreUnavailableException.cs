namespace Scalegram.Storage;

/// <summary>
/// The blob store did not answer after the bounded retries: nothing was stored. Callers answer
/// 503 with <see cref="RetryAfter"/> (the web tier does) or retry later (jobs do).
/// </summary>
internal sealed class BlobStoreUnavailableException(string message, Exception inner, TimeSpan retryAfter) : Exception(message, inner)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
