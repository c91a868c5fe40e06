using System.Net;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Scalegram.Storage;
using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Storage;

/// <summary>
/// The blob store contract on a real S3-compatible server (Swift with s3api), plus what only S3 has:
/// multipart uploads that never leave parts behind, a private bucket, the content hash in metadata.
/// Each test gets its own bucket, created by the store as at a node's start.
/// </summary>
public sealed class S3BlobStoreContractTests : BlobStoreContract
{
    private SwiftServer? _swift;

    private S3BlobStore S3 => (S3BlobStore)Store;

    [Fact]
    public async Task A_large_object_goes_up_in_parts_and_leaves_no_upload_open()
    {
        var bytes = RandomBytes(LargeSize);

        await Store.PutAsync("originals/1-parts.jpg", new MemoryStream(bytes));

        var head = await S3.Client.GetObjectMetadataAsync(S3.Bucket, "originals/1-parts.jpg");
        Assert.EndsWith("-3\"", head.ETag, StringComparison.Ordinal); // a multipart ETag: md5-of-md5s, dash, part count
        Assert.Empty(await OpenUploadsAsync());
    }

    [Fact]
    public async Task A_multipart_upload_that_fails_midway_is_aborted_and_leaves_no_parts()
    {
        // The first pass (hashing) reads it whole; the second (uploading) fails after the first part went up.
        var failing = FailingStream.After(LargeSize, 7 * 1024 * 1024, passesBeforeFailing: 1);

        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("originals/2-broken.jpg", failing));

        Assert.False(await Store.ExistsAsync("originals/2-broken.jpg"));
        Assert.Empty(await OpenUploadsAsync());
        Assert.Empty(await ListAsync(""));
    }

    [Fact]
    public async Task A_cancelled_multipart_upload_is_aborted_too()
    {
        using var cancel = new CancellationTokenSource();
        var stream = new CancelAfterStream(RandomBytes(LargeSize), 6 * 1024 * 1024, cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.PutAsync("originals/3-cancelled.jpg", stream, cancel.Token));

        Assert.False(await Store.ExistsAsync("originals/3-cancelled.jpg"));
        Assert.Empty(await OpenUploadsAsync());
    }

    [Fact]
    public async Task Uploads_a_dead_process_left_open_are_aborted_and_live_ones_kept()
    {
        // What kill -9 mid-upload leaves: an initiated upload with a part, never completed or aborted.
        var left = await S3.Client.InitiateMultipartUploadAsync(S3.Bucket, "originals/5-left.jpg");
        await S3.Client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = S3.Bucket,
            Key = "originals/5-left.jpg",
            UploadId = left.UploadId,
            PartNumber = 1,
            InputStream = new MemoryStream(RandomBytes(1000)),
            UseChunkEncoding = false,
        });

        Assert.Equal(0, await S3.AbortStaleUploadsAsync(TimeSpan.FromHours(1), CancellationToken.None));
        Assert.Single(await OpenUploadsAsync());

        await Task.Delay(1100); // S3 keeps upload times to the second
        Assert.Equal(1, await S3.AbortStaleUploadsAsync(TimeSpan.FromMilliseconds(1), CancellationToken.None));
        Assert.Empty(await OpenUploadsAsync());
        Assert.False(await Store.ExistsAsync("originals/5-left.jpg"));
    }

    [Fact]
    public async Task Objects_carry_their_sha256_for_the_migration_to_compare()
    {
        var bytes = RandomBytes(1000);

        await Store.PutAsync("p/9/h.jpg", new MemoryStream(bytes));

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), (await Store.HeadAsync("p/9/h.jpg"))!.Sha256);
    }

    [Fact]
    public async Task The_bucket_is_private_to_anonymous_readers()
    {
        await Store.PutAsync("originals/4-private.jpg", new MemoryStream([1, 2, 3]));
        using var http = new HttpClient();

        // Unsigned, in S3's path style and in Swift's own API (the bucket is a container of the account AUTH_test).
        var s3Style = await http.GetAsync(new Uri($"{_swift!.ServiceUrl}/{S3.Bucket}/originals/4-private.jpg"));
        var swiftStyle = await http.GetAsync(new Uri($"{_swift.ServiceUrl}/v1/AUTH_test/{S3.Bucket}/originals/4-private.jpg"));
        var listing = await http.GetAsync(new Uri($"{_swift.ServiceUrl}/v1/AUTH_test/{S3.Bucket}"));

        Assert.False(s3Style.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, swiftStyle.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, listing.StatusCode);
        Assert.Equal([1, 2, 3], await ReadAsync("originals/4-private.jpg"));
    }

    [Fact]
    public async Task A_missing_bucket_is_created_and_an_existing_one_kept()
    {
        await Store.PutAsync("p/1/kept.jpg", new MemoryStream([5]));

        await S3.EnsureBucketAsync(CancellationToken.None);

        Assert.True(await S3.BucketExistsAsync(CancellationToken.None));
        Assert.True(await Store.ExistsAsync("p/1/kept.jpg"));
    }

    internal override async Task<IBlobStore> CreateStoreAsync()
    {
        _swift = await SwiftServer.SharedAsync();
        var options = _swift.Options("t-" + Guid.NewGuid().ToString("N")[..16]);
        options.MultipartThreshold = S3Options.MinPartSize;
        options.PartSize = S3Options.MinPartSize;
        var store = new S3BlobStore(options, NullLogger.Instance);
        await store.EnsureBucketAsync(CancellationToken.None);
        return store;
    }

    private async Task<List<MultipartUpload>> OpenUploadsAsync() =>
        (await S3.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = S3.Bucket })).MultipartUploads ?? [];

    /// <summary>Cancels the caller's token once the upload pass (after the hashing pass and a rewind) has read past a point.</summary>
    private sealed class CancelAfterStream(byte[] data, long at, CancellationTokenSource cancel) : MemoryStream(data)
    {
        private bool _rewound;

        public override long Position
        {
            get => base.Position;
            set
            {
                _rewound |= value == 0 && base.Position > 0;
                base.Position = value;
            }
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = base.Read(buffer.Span);
            if (_rewound && Position >= at)
            {
                cancel.Cancel();
            }

            return ValueTask.FromResult(read);
        }
    }
}
