namespace Scalegram.Cdn;

/// <summary>Tells the media origin which photos are private (served only through signed URLs); implemented by the product.</summary>
internal interface IMediaAccess
{
    /// <summary>True when the photo exists and its owner's account is private.</summary>
    Task<bool> IsPrivateAsync(long photoId, CancellationToken ct);
}
