using System.Text.RegularExpressions;

namespace Scalegram.Storage;

/// <summary>The S3-compatible store's settings (section "Storage:S3"); <see cref="Problems"/> names each wrong key.</summary>
internal sealed partial class S3Options
{
    public const string Section = "Storage:S3";

    /// <summary>Smallest part S3 (and Swift's s3api) accepts, except for the last one.</summary>
    public const long MinPartSize = 5 * 1024 * 1024;

    /// <summary>The largest blob sent in one PutObject (it is held in memory once).</summary>
    public const long MaxWholePut = 1024 * 1024 * 1024;

    /// <summary>The endpoint, e.g. http://127.0.0.1:19400 (path-style addressing is used, so any S3-compatible server works).</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The bucket; created at start if missing, always private.</summary>
    public string Bucket { get; set; } = "scalegram";

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>The signing region (an S3-compatible server takes whatever it was configured with; Swift's default is us-east-1).</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Blobs larger than this go up as a multipart upload.</summary>
    public long MultipartThreshold { get; set; } = 16 * 1024 * 1024;

    /// <summary>The size of each part of a multipart upload (at least 5 MiB).</summary>
    public long PartSize { get; set; } = 8 * 1024 * 1024;

    /// <summary>How many times a transient failure (connection refused, 5xx, timeout) is retried before the store counts as down.</summary>
    public int Retries { get; set; } = 3;

    /// <summary>The first retry's delay; later ones back off exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>One request's time limit.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What a 503 tells clients to wait when the store is down (Retry-After).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Every wrong setting, each naming its key; empty when all are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            yield return "Storage:S3:ServiceUrl must be an absolute http(s) URL, e.g. http://127.0.0.1:19400.";
        }

        if (string.IsNullOrEmpty(Bucket) || !BucketName().IsMatch(Bucket))
        {
            yield return "Storage:S3:Bucket must be 3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit.";
        }

        if (string.IsNullOrEmpty(AccessKey))
        {
            yield return "Storage:S3:AccessKey is required.";
        }

        if (string.IsNullOrEmpty(SecretKey))
        {
            yield return "Storage:S3:SecretKey is required.";
        }

        if (string.IsNullOrWhiteSpace(Region))
        {
            yield return "Storage:S3:Region is required (us-east-1 unless the server says otherwise).";
        }

        if (PartSize < MinPartSize || PartSize > MaxWholePut)
        {
            yield return $"Storage:S3:PartSize must be between {MinPartSize} bytes (5 MiB; S3 refuses smaller parts) and {MaxWholePut} bytes.";
        }

        if (MultipartThreshold < PartSize || MultipartThreshold > MaxWholePut)
        {
            yield return $"Storage:S3:MultipartThreshold must be at least Storage:S3:PartSize and at most {MaxWholePut} bytes (1 GiB).";
        }

        if (Retries is < 0 or > 10)
        {
            yield return "Storage:S3:Retries must be between 0 and 10.";
        }

        if (RetryDelay <= TimeSpan.Zero || RetryDelay > TimeSpan.FromSeconds(10))
        {
            yield return "Storage:S3:RetryDelay must be more than 0 and at most 10 seconds.";
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            yield return "Storage:S3:RequestTimeout must be more than 0.";
        }

        if (RetryAfter < TimeSpan.FromSeconds(1))
        {
            yield return "Storage:S3:RetryAfter must be at least 1 second.";
        }
    }

    [GeneratedRegex(@"\A[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\z")]
    private static partial Regex BucketName();
}
