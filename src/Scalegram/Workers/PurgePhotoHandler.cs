using Scalegram.Feed;
using Scalegram.Jobs;
using Scalegram.Messaging;
using Scalegram.Photos;
using Scalegram.Storage;

namespace Scalegram.Workers;

/// <summary>photo.purge: makes sure a deleted photo's blobs and timeline entries are gone (deleting twice is harmless).</summary>
internal sealed class PurgePhotoHandler(IBlobStore blobs, TimelineStore timeline) : IJobHandler
{
    public string Type => JobTypes.PurgePhoto;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var purge = JobJson.Read<PurgePhotoJob>(job);
        foreach (var key in purge.Keys.Where(BlobKey.IsValid))
        {
            await blobs.DeleteAsync(key, ct);
        }

        await timeline.RemoveEverywhereAsync(purge.PhotoId, ct);
    }
}
