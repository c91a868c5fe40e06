namespace Scalegram.Photos;

/// <summary>Who may see an owner's photos (private accounts: the owner and approved followers); implemented above, where follows are known.</summary>
internal interface IPhotoAudience
{
    Task<bool> CanSeeAsync(long? viewerId, long ownerId, CancellationToken ct);

    Task<bool> IsPrivateAsync(long ownerId, CancellationToken ct);
}
