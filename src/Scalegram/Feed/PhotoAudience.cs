using Scalegram.Photos;
using Scalegram.Social;

namespace Scalegram.Feed;

/// <summary>
/// Tells photos who may see what, from account privacy and follows (Social): it lives here, the first
/// layer that knows both photos and follows.
/// </summary>
internal sealed class PhotoAudience(Audience audience) : IPhotoAudience
{
    public Task<bool> CanSeeAsync(long? viewerId, long ownerId, CancellationToken ct) => audience.CanSeeAsync(viewerId, ownerId, ct);

    public Task<bool> IsPrivateAsync(long ownerId, CancellationToken ct) => audience.IsPrivateAsync(ownerId, ct);

    public Task<IReadOnlySet<long>> VisibleOwnersAsync(long? viewerId, IReadOnlyCollection<long> ownerIds, CancellationToken ct) =>
        audience.VisibleOwnersAsync(viewerId, ownerIds, ct);

    public Task<IReadOnlySet<long>> PrivateAmongAsync(IReadOnlyCollection<long> ownerIds, CancellationToken ct) => audience.PrivateAmongAsync(ownerIds, ct);
}
