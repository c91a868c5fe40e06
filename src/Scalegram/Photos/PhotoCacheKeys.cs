namespace Scalegram.Photos;

/// <summary>The cache key of a photo, invalidated by every write that changes it.</summary>
internal static class PhotoCacheKeys
{
    public static string Photo(long photoId) => $"photo:{photoId}";
}
