namespace Scalegram.Web.Idempotency;

/// <summary>The first answer to a request with an Idempotency-Key, as replayed: status, Content-Type, Location and body.</summary>
internal sealed record StoredResponse(int Status, string? ContentType, string? Location, string Body);
