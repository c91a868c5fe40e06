namespace Scalegram.Web.Idempotency;

/// <summary>Endpoint metadata: this endpoint honours Idempotency-Key (added by <c>.WithIdempotency()</c>).</summary>
internal sealed class IdempotentEndpoint
{
    public static readonly IdempotentEndpoint Instance = new();

    private IdempotentEndpoint()
    {
    }
}
