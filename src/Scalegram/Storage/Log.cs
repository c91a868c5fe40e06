namespace Scalegram.Storage;

/// <summary>Log messages of the storage tier. Event IDs 1500-1599 belong to this folder and never change meaning.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Object store call {Operation} failed (attempt {Attempt}); retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, Exception? exception, string operation, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Error, Message = "Object store unavailable: {Operation} failed after the retries")]
    public static partial void Unavailable(ILogger logger, Exception exception, string operation);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "Aborting the multipart upload {UploadId} of {Key} failed; the bucket's lifecycle rule or a later abort must clean it up")]
    public static partial void AbortFailed(ILogger logger, Exception exception, string key, string uploadId);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Information, Message = "Created the bucket {Bucket} at {ServiceUrl}")]
    public static partial void BucketCreated(ILogger logger, string bucket, string serviceUrl);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Warning, Message = "Could not make sure the bucket {Bucket} exists at start; the readiness check keeps trying")]
    public static partial void BucketNotEnsured(ILogger logger, Exception exception, string bucket);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Warning, Message = "Aborted {Count} multipart upload(s) in {Bucket} that a process left behind")]
    public static partial void StaleUploadsAborted(ILogger logger, int count, string bucket);
}
