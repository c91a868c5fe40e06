namespace Scalegram.Web.Idempotency;

/// <summary>
/// Where Idempotency-Key records live. The store is the arbiter between web nodes: a claim is an insert
/// on a unique key, never a check-then-act, and every later write names the owner that claimed it.
/// </summary>
internal interface IIdempotencyStore
{
    /// <summary>Claims the key for this owner (a new row, or one that expired or whose owner stopped renewing); null when claimed, else the row that holds it.</summary>
    Task<IdempotencyRecord?> ClaimAsync(IdempotencyScope scope, string key, string owner, DateTimeOffset now, DateTimeOffset lockedUntil, DateTimeOffset expiresAt, CancellationToken ct);

    /// <summary>Extends the owner's in-progress marker; false if the owner lost the key.</summary>
    Task<bool> RenewAsync(IdempotencyScope scope, string key, string owner, DateTimeOffset lockedUntil, CancellationToken ct);

    /// <summary>Records the answer to replay; false if the owner lost the key.</summary>
    Task<bool> CompleteAsync(IdempotencyScope scope, string key, string owner, string fingerprint, StoredResponse response, CancellationToken ct);

    /// <summary>Frees the key (the request failed with a 5xx or crashed) so a retry can run.</summary>
    Task ReleaseAsync(IdempotencyScope scope, string key, string owner, CancellationToken ct);

    /// <summary>Deletes up to <paramref name="limit"/> expired rows on each store; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, int limit, CancellationToken ct);
}
