using Scalegram.Data;

namespace Scalegram.Web.Idempotency;

/// <summary>Deletes expired Idempotency-Key records on every store. Expired keys are free even before this runs (a claim takes them over).</summary>
internal sealed class IdempotencyKeySweeper(IIdempotencyStore store, TimeProvider time, ILogger<IdempotencyKeySweeper> logger) : BatchSweeper(time)
{
    protected override Task<int> DeleteBatchAsync(DateTimeOffset now, CancellationToken ct) => store.DeleteExpiredAsync(now, Batch, ct);

    protected override void Swept(int total) => Log.IdempotencyKeysSwept(logger, total);

    protected override void Failed(Exception exception) => Log.IdempotencySweepFailed(logger, exception);
}
