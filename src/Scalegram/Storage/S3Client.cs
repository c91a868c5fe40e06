using Amazon.Runtime;
using Amazon.S3;

namespace Scalegram.Storage;

/// <summary>The SDK client for an S3-compatible server: path-style addresses, no SDK retries (S3Retry decides), checksums only where S3 requires them.</summary>
internal static class S3Client
{
    public static AmazonS3Client Create(S3Options options)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = options.ServiceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = options.Region,
            MaxErrorRetry = 0,
            Timeout = options.RequestTimeout,

            // The v4 SDK adds CRC32 trailers by default; S3-compatible servers such as Swift's s3api do not all take them.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        return new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }
}
