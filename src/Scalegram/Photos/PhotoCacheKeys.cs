namespace Scalegram.Photos;

/// <summary>The cache key of a photo, invalidated by every write that changes it.</summary>
internal static class PhotoCacheKeys
{
    public static string Photo(long photoId) => $"photo:{photoId}";

    /// <summary>Whether <paramref name="userId"/> likes the photo: set by their like/unlike, read by every page they see.</summary>
    public static string Liked(long userId, long photoId) => $"liked:{userId}:{photoId}";

    /// <summary>The value of a <see cref="Liked"/> entry when the user likes the photo; no entry (null) when not.</summary>
    public const string LikedMark = "1";
}
