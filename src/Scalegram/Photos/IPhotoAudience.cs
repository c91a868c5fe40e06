namespace Scalegram.Photos;

/// <summary>Who may see an owner's photos (private accounts: the owner and approved followers); implemented above, where follows are known.</summary>
internal interface IPhotoAudience
{
    Task<bool> CanSeeAsync(long? viewerId, long ownerId, CancellationToken ct);

    Task<bool> IsPrivateAsync(long ownerId, CancellationToken ct);

    /// <summary>Of these owners, those whose photos the viewer may see: a constant number of store calls.</summary>
    Task<IReadOnlySet<long>> VisibleOwnersAsync(long? viewerId, IReadOnlyCollection<long> ownerIds, CancellationToken ct);

    /// <summary>Of these owners, the private ones: a constant number of store calls.</summary>
    Task<IReadOnlySet<long>> PrivateAmongAsync(IReadOnlyCollection<long> ownerIds, CancellationToken ct);
}
