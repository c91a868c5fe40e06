namespace Scalegram.Data;

/// <summary>The Idempotency-Key a write was sent with, and whose key it is (the web tier's scope name).</summary>
internal sealed record WriteKey(string Scope, string Key);
