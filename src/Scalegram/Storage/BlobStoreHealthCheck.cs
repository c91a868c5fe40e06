using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Scalegram.Storage;

/// <summary>Ready means the blob store answers: for S3, one listing call on the bucket (created here if it went missing).</summary>
internal sealed class BlobStoreHealthCheck(IBlobStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (store is not S3BlobStore s3)
        {
            return HealthCheckResult.Healthy();
        }

        try
        {
            if (!await s3.BucketExistsAsync(ct))
            {
                await s3.EnsureBucketAsync(ct);
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The object store (bucket {s3.Bucket}) does not answer.", e);
        }
    }
}
