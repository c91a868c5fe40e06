using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Scalegram.Storage;

/// <summary>
/// Blobs in an S3-compatible bucket (private: nothing is ever made public; media go out through the
/// app and the edge). A put is one PutObject, or a multipart upload above the threshold that is
/// aborted if any step fails, so a reader sees a whole object or none. Each object carries its
/// SHA-256 in metadata, which the migration compares. Shared by every web and worker node.
/// </summary>
internal sealed class S3BlobStore : IBlobStore, IDisposable
{
    private const string Sha256Metadata = "sha256";
    private readonly IAmazonS3 _s3;
    private readonly S3Options _options;
    private readonly S3Retry _retry;
    private readonly ILogger _logger;

    public S3BlobStore(S3Options options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _retry = new S3Retry(options, logger);
        _s3 = S3Client.Create(options);
    }

    public string Bucket => _options.Bucket;

    /// <summary>The SDK client, for what the store does not wrap (tests look for leftover multipart uploads).</summary>
    public IAmazonS3 Client => _s3;

    public async Task PutAsync(string key, Stream content, CancellationToken ct = default)
    {
        BlobKey.Ensure(key);

        // The length and hash must be known before the first byte goes out: spool what cannot be rewound.
        await using var spool = content.CanSeek ? null : await SpoolAsync(content, ct);
        var source = spool ?? content;
        var start = source.Position;
        var length = source.Length - start;
        var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(source, ct));
        source.Position = start;

        if (length <= _options.MultipartThreshold)
        {
            await PutWholeAsync(key, source, (int)length, sha256, ct);
        }
        else
        {
            await PutMultipartAsync(key, source, sha256, ct);
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken ct = default)
    {
        BlobKey.Ensure(key);
        try
        {
            var response = await _retry.RunAsync("get", t => _s3.GetObjectAsync(Bucket, key, t), ct);
            return new S3ResponseStream(response);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken ct = default)
    {
        BlobKey.Ensure(key);
        try
        {
            await _retry.RunAsync("delete", t => _s3.DeleteObjectAsync(Bucket, key, t), ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: deleting is idempotent.
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct = default) => await HeadAsync(key, ct) is not null;

    public async Task<BlobInfo?> HeadAsync(string key, CancellationToken ct = default)
    {
        BlobKey.Ensure(key);
        try
        {
            var head = await _retry.RunAsync("head", t => _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, t), ct);
            return new BlobInfo(key, head.ContentLength, head.Metadata[Sha256Metadata]);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        string? token = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, ContinuationToken = token, MaxKeys = 1000 };
            var page = await _retry.RunAsync("list", t => _s3.ListObjectsV2Async(request, t), ct);
            foreach (var o in page.S3Objects ?? [])
            {
                yield return new BlobInfo(o.Key, o.Size ?? 0, null);
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    /// <summary>Creates the bucket if it is missing (private, as every new bucket is).</summary>
    public async Task EnsureBucketAsync(CancellationToken ct)
    {
        if (await _retry.RunAsync("find bucket", BucketExistsAsync, ct))
        {
            return;
        }

        try
        {
            await _retry.RunAsync("create bucket", t => _s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }, t), ct);
            Log.BucketCreated(_logger, Bucket, _options.ServiceUrl!);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Another node created it first.
        }
    }

    /// <summary>One cheap call with no retries, for the readiness check: throws if the store does not answer.</summary>
    public async Task<bool> BucketExistsAsync(CancellationToken ct)
    {
        try
        {
            await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, MaxKeys = 1 }, ct);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Aborts multipart uploads started before <paramref name="olderThan"/> ago: a process killed
    /// midway (kill -9 runs no abort) leaves its parts behind, and Swift has no lifecycle rule to
    /// expire them. Returns how many it aborted.
    /// </summary>
    public async Task<int> AbortStaleUploadsAsync(TimeSpan olderThan, CancellationToken ct)
    {
        var cutoff = DateTime.UtcNow - olderThan;
        var aborted = 0;
        var listing = await _retry.RunAsync("list multipart", t => _s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket }, t), ct);
        foreach (var upload in listing.MultipartUploads ?? [])
        {
            if (upload.Initiated is { } started && started.ToUniversalTime() <= cutoff)
            {
                await AbortAsync(upload.Key, upload.UploadId);
                aborted++;
            }
        }

        return aborted;
    }

    public void Dispose() => _s3.Dispose();

    private async Task PutWholeAsync(string key, Stream source, int length, string sha256, CancellationToken ct)
    {
        var buffer = new byte[length];
        await source.ReadExactlyAsync(buffer, ct);
        var md5 = Convert.ToBase64String(MD5.HashData(buffer));
        await _retry.RunAsync(
            "put",
            t =>
            {
                var request = new PutObjectRequest
                {
                    BucketName = Bucket,
                    Key = key,
                    InputStream = new MemoryStream(buffer, writable: false),
                    ContentType = ContentTypeOf(key),
                    MD5Digest = md5,

                    // Swift's s3api answers 501 to aws-chunked bodies.
                    UseChunkEncoding = false,
                };
                request.Metadata.Add(Sha256Metadata, sha256);
                return _s3.PutObjectAsync(request, t);
            },
            ct);
    }

    private async Task PutMultipartAsync(string key, Stream source, string sha256, CancellationToken ct)
    {
        var initiate = new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key, ContentType = ContentTypeOf(key) };
        initiate.Metadata.Add(Sha256Metadata, sha256);
        var uploadId = (await _retry.RunAsync("start multipart", t => _s3.InitiateMultipartUploadAsync(initiate, t), ct)).UploadId;
        try
        {
            var parts = new List<PartETag>();
            var buffer = new byte[_options.PartSize];
            for (var number = 1; ; number++)
            {
                var read = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
                if (read == 0)
                {
                    break;
                }

                var md5 = Convert.ToBase64String(MD5.HashData(buffer.AsSpan(0, read)));
                var partNumber = number;
                var part = await _retry.RunAsync(
                    "upload part",
                    t => _s3.UploadPartAsync(
                        new UploadPartRequest
                        {
                            BucketName = Bucket,
                            Key = key,
                            UploadId = uploadId,
                            PartNumber = partNumber,
                            InputStream = new MemoryStream(buffer, 0, read, writable: false),
                            PartSize = read,
                            MD5Digest = md5,
                            UseChunkEncoding = false,
                        },
                        t),
                    ct);
                parts.Add(new PartETag(partNumber, part.ETag));
                if (read < buffer.Length)
                {
                    break;
                }
            }

            await _retry.RunAsync(
                "complete multipart",
                t => _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId, PartETags = parts }, t),
                ct);
        }
        catch
        {
            // No orphan parts: the upload is abandoned, even when the caller gave up.
            await AbortAsync(key, uploadId);
            throw;
        }
    }

    private async Task AbortAsync(string key, string uploadId)
    {
        try
        {
            await _retry.RunAsync(
                "abort multipart",
                t => _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId }, t),
                CancellationToken.None);
        }
        catch (Exception e) when (e is AmazonServiceException or BlobStoreUnavailableException)
        {
            Log.AbortFailed(_logger, e, key, uploadId);
        }
    }

    private static async Task<Stream> SpoolAsync(Stream content, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"scalegram-s3-spool-{Guid.NewGuid():N}");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        try
        {
            await content.CopyToAsync(file, ct);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private static string ContentTypeOf(string key) => Path.GetExtension(key) switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".webp" => "image/webp",
        ".avif" => "image/avif",
        ".gif" => "image/gif",
        _ => "application/octet-stream",
    };
}
