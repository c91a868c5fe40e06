namespace Scalegram.Web.Idempotency;

/// <summary>A key someone else holds: still in progress (no response yet) or finished with its fingerprint and answer.</summary>
internal sealed record IdempotencyRecord(string? Fingerprint, StoredResponse? Response, DateTimeOffset LockedUntil)
{
    public bool InProgress => Response is null;
}
