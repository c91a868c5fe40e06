using Scalegram.Cdn;
using Scalegram.Photos;
using Scalegram.Social;

namespace Scalegram.Feed;

/// <summary>Tells the media origin whether a photo's owner is private, so its public path is refused.</summary>
internal sealed class MediaAccess(PhotoService photos, Audience audience) : IMediaAccess
{
    public async Task<bool> IsPrivateAsync(long photoId, CancellationToken ct) =>
        await photos.GetAsync(photoId, ct) is { } photo && await audience.IsPrivateAsync(photo.OwnerId, ct);
}
