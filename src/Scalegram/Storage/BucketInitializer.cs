namespace Scalegram.Storage;

/// <summary>Creates the S3 bucket at start if it is missing. A store that is down does not stop the node: the readiness check reports it and retries.</summary>
internal sealed class BucketInitializer(IBlobStore store, ILogger<BucketInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (store is not S3BlobStore s3)
        {
            return;
        }

        try
        {
            await s3.EnsureBucketAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.BucketNotEnsured(logger, e, s3.Bucket);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
