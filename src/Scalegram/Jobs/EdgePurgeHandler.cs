using Scalegram.Cdn;
using Scalegram.Messaging;
using Scalegram.Storage;

namespace Scalegram.Jobs;

/// <summary>
/// cdn.purge: removes a deleted photo's variants from every edge. The variant blobs go first (again, if
/// the delete already removed them), so an edge that refetches right after the PURGE gets the origin's
/// 404, never the old image. A failed purge throws: the queue retries it with backoff.
/// </summary>
internal sealed class EdgePurgeHandler(IBlobStore blobs, EdgePurger edges) : IJobHandler
{
    public string Type => JobTypes.PurgeEdge;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var purge = JobJson.Read<PurgePhotoJob>(job);
        var served = purge.Keys.Where(k => k.StartsWith(MediaEndpoints.ServedPrefix, StringComparison.Ordinal) && BlobKey.IsValid(k)).ToList();
        foreach (var key in served)
        {
            await blobs.DeleteAsync(key, ct);
        }

        await edges.PurgeMediaAsync(served, ct);
        // A private photo's signed copies too: they would otherwise live until their URLs expire.
        await edges.BanSignedAsync(purge.PhotoId, ct);
    }
}
