namespace Scalegram.Storage;

/// <summary>Creates the S3 bucket at start if it is missing, and aborts multipart uploads that dead processes left. A store that is down does not stop the node: the readiness check reports it and retries.</summary>
internal sealed class BucketInitializer(IBlobStore store, ILogger<BucketInitializer> logger) : IHostedService
{
    /// <summary>No upload takes this long; one older was left by a process that died.</summary>
    public static readonly TimeSpan StaleUpload = TimeSpan.FromHours(1);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (store is not S3BlobStore s3)
        {
            return;
        }

        try
        {
            await s3.EnsureBucketAsync(cancellationToken);
            if (await s3.AbortStaleUploadsAsync(StaleUpload, cancellationToken) is var aborted and > 0)
            {
                Log.StaleUploadsAborted(logger, aborted, s3.Bucket);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.BucketNotEnsured(logger, e, s3.Bucket);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
