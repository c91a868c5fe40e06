namespace Scalegram.Jobs;

/// <summary>photo.purge: a deleted photo and the blob keys to remove.</summary>
internal sealed record PurgePhotoJob(long PhotoId, IReadOnlyList<string> Keys);
