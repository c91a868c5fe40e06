using Scalegram.Cdn;
using Scalegram.Photos;
using Scalegram.Social;

namespace Scalegram.Feed;

/// <summary>
/// Tells photos and the media origin who may see what, from account privacy and follows (Social): it lives
/// here, the first layer that knows both photos and follows.
/// </summary>
internal sealed class PhotoAudience(Audience audience, PhotoService photos) : IPhotoAudience, IMediaAccess
{
    public Task<bool> CanSeeAsync(long? viewerId, long ownerId, CancellationToken ct) => audience.CanSeeAsync(viewerId, ownerId, ct);

    public Task<bool> IsPrivateAsync(long ownerId, CancellationToken ct) => audience.IsPrivateAsync(ownerId, ct);

    async Task<bool> IMediaAccess.IsPrivateAsync(long photoId, CancellationToken ct) =>
        await photos.GetAsync(photoId, ct) is { } photo && await audience.IsPrivateAsync(photo.OwnerId, ct);
}
