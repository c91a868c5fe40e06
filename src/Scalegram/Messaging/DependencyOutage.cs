using Scalegram.Data.Replication;
using Scalegram.Storage;

namespace Scalegram.Messaging;

/// <summary>
/// Tells a dependency outage (the database failing over or unreachable, the blob store down) from a job's
/// own failure: an outage postpones the job without using up an attempt, so accepted work outlives it.
/// </summary>
internal static class DependencyOutage
{
    public static bool Caused(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is BlobStoreUnavailableException)
            {
                return true;
            }
        }

        return FailoverErrors.IsFailover(failure);
    }
}
