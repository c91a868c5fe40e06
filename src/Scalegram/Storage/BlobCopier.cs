using System.Security.Cryptography;

namespace Scalegram.Storage;

/// <summary>
/// Copies every blob of one store into another (the local-to-S3 migration). Resumable: a blob already
/// at the destination with the same size and SHA-256 is skipped, and each put is atomic, so an
/// interrupted run loses nothing and the next run finishes the job. Every copy is read back by
/// hash before it counts.
/// </summary>
internal sealed class BlobCopier(IBlobStore source, IBlobStore destination)
{
    /// <summary>The blobs to copy, listed once (the progress bar needs the total).</summary>
    public async Task<IReadOnlyList<BlobInfo>> PlanAsync(CancellationToken ct)
    {
        var blobs = new List<BlobInfo>();
        await foreach (var blob in source.ListAsync("", ct))
        {
            blobs.Add(blob);
        }

        return blobs;
    }

    public async Task<BlobCopyResult> CopyAsync(IReadOnlyList<BlobInfo> blobs, int parallelism, Action<BlobInfo, bool>? done, CancellationToken ct)
    {
        long copied = 0, skipped = 0, bytes = 0;
        await Parallel.ForEachAsync(blobs, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (blob, token) =>
        {
            var wasCopied = await CopyOneAsync(blob, token);
            if (wasCopied)
            {
                Interlocked.Increment(ref copied);
                Interlocked.Add(ref bytes, blob.Length);
            }
            else
            {
                Interlocked.Increment(ref skipped);
            }

            done?.Invoke(blob, wasCopied);
        });
        return new BlobCopyResult(blobs.Count, copied, skipped, bytes);
    }

    /// <summary>Copies one blob unless the destination already holds the same bytes; true if it copied.</summary>
    private async Task<bool> CopyOneAsync(BlobInfo blob, CancellationToken ct)
    {
        var sha256 = blob.Sha256 ?? await HashAsync(blob.Key, ct);
        if (await destination.HeadAsync(blob.Key, ct) is { } there && there.Length == blob.Length && there.Sha256 == sha256)
        {
            return false;
        }

        await using (var content = await source.OpenReadAsync(blob.Key, ct) ?? throw new FileNotFoundException($"The blob {blob.Key} vanished from the source while copying."))
        {
            await destination.PutAsync(blob.Key, content, ct);
        }

        var copy = await destination.HeadAsync(blob.Key, ct);
        if (copy is null || copy.Length != blob.Length || (copy.Sha256 is not null && copy.Sha256 != sha256))
        {
            throw new IOException($"The copy of {blob.Key} does not match the original (size or SHA-256); run the copy again.");
        }

        return true;
    }

    private async Task<string> HashAsync(string key, CancellationToken ct)
    {
        await using var content = await source.OpenReadAsync(key, ct) ?? throw new FileNotFoundException($"The blob {key} vanished from the source while copying.");
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(content, ct));
    }
}

/// <summary>What a copy run did.</summary>
internal sealed record BlobCopyResult(int Total, long Copied, long Skipped, long CopiedBytes);
