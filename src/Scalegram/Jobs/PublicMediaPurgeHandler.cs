using Scalegram.Cdn;
using Scalegram.Messaging;
using Scalegram.Storage;

namespace Scalegram.Jobs;

/// <summary>
/// cdn.purge-public: the owner of a photo turned private, so its variants' public URLs leave every edge
/// (the blobs stay: signed URLs serve them now). A separate type from cdn.purge, which deletes the blobs
/// too: a worker of an older release must never mistake this for a delete. Throws until every edge confirmed.
/// </summary>
internal sealed class PublicMediaPurgeHandler(EdgePurger edges) : IJobHandler
{
    public string Type => JobTypes.PurgePublicMedia;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var purge = JobJson.Read<PurgePhotoJob>(job);
        await edges.PurgeMediaAsync(purge.Keys.Where(k => k.StartsWith(MediaEndpoints.ServedPrefix, StringComparison.Ordinal) && BlobKey.IsValid(k)), ct);
    }
}
