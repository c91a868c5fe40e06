namespace Scalegram.Social;

/// <summary>Told when an account turns private, so what was public about it (media cached at the edge) can be withdrawn.</summary>
internal interface IPrivacyListener
{
    Task BecamePrivateAsync(long userId, CancellationToken ct);
}
