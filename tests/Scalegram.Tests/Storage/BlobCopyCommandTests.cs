using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Scalegram.Storage;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Storage;

/// <summary>
/// `scalegram blobs copy --to s3` as a real process against Swift: killed (kill -9) midway, then run
/// again, it finishes the job; every blob ends up in the bucket byte for byte, and a third run copies nothing.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed partial class BlobCopyCommandTests : IDisposable
{
    private const int Blobs = 400;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "scalegram-copy-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task An_interrupted_copy_run_again_leaves_every_blob_in_the_bucket_identical()
    {
        var swift = await SwiftServer.SharedAsync();
        var bucket = "copy-" + Guid.NewGuid().ToString("N")[..12];
        var local = new LocalBlobStore(_dir);
        var random = new Random(12);
        for (var i = 0; i < Blobs; i++)
        {
            var bytes = new byte[random.Next(20_000, 80_000)];
            random.NextBytes(bytes);
            await local.PutAsync(i % 4 == 0 ? $"originals/{i}-abc.jpg" : $"p/{i / 4}/v{i % 4}-def.jpg", new MemoryStream(bytes));
        }

        using var s3 = new S3BlobStore(swift.Options(bucket), NullLogger.Instance);
        await s3.EnsureBucketAsync(CancellationToken.None);
        string[] args = ["blobs", "copy", "--to", "s3", "--from", _dir, "--parallel", "2", .. swift.Settings(bucket)];

        // First run: killed once some blobs are in.
        await using (var first = CliProcess.Start(args))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await CountAsync(s3) < 40 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Signals.Send(first.Pid, Signals.Kill);
            await first.WaitForExitAsync();
        }

        var afterKill = await CountAsync(s3);
        Assert.InRange(afterKill, 40, Blobs - 1);

        // Whatever the killed run stored is whole.
        await foreach (var blob in s3.ListAsync(""))
        {
            Assert.Equal(await BytesAsync(local, blob.Key), await BytesAsync(s3, blob.Key));
        }

        // Second run: copies the rest, skips what is there.
        await using (var second = CliProcess.Start(args))
        {
            Assert.Equal(0, await second.WaitForExitAsync());
            var (copied, skipped) = Summary(second);
            Assert.Equal(Blobs, copied + skipped);
            Assert.True(skipped >= afterKill - 2, $"the rerun skipped {skipped}; {afterKill} were in the bucket"); // up to 2 puts were in flight at the kill
        }

        await foreach (var blob in local.ListAsync(""))
        {
            Assert.Equal(await BytesAsync(local, blob.Key), await BytesAsync(s3, blob.Key));
        }

        Assert.Equal(Blobs, await CountAsync(s3));

        // Third run: nothing left to do.
        await using var third = CliProcess.Start(args);
        Assert.Equal(0, await third.WaitForExitAsync());
        Assert.Equal((0, Blobs), Summary(third));
    }

    [Fact]
    public async Task A_wrong_S3_setting_is_named_and_nothing_runs()
    {
        Directory.CreateDirectory(_dir);
        await using var run = CliProcess.Start("blobs", "copy", "--to", "s3", "--from", _dir, "--Storage:S3:ServiceUrl=nope");

        Assert.Equal(1, await run.WaitForExitAsync());
        Assert.Contains("Storage:S3:ServiceUrl", run.Errors, StringComparison.Ordinal);
        Assert.Contains("Storage:S3:AccessKey", run.Errors, StringComparison.Ordinal);
    }

    private static (long Copied, long Skipped) Summary(CliProcess run)
    {
        var line = run.Lines.LastOrDefault(l => l.StartsWith("Copied ", StringComparison.Ordinal)) ?? throw new InvalidOperationException("No summary:\n" + string.Join('\n', run.Lines) + run.Errors);
        var match = SummaryLine().Match(line);
        return (long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<int> CountAsync(IBlobStore store)
    {
        var count = 0;
        await foreach (var blob in store.ListAsync(""))
        {
            count++;
        }

        return count;
    }

    private static async Task<byte[]> BytesAsync(IBlobStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(key) ?? throw new InvalidOperationException($"{key} is missing.");
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [GeneratedRegex(@"^Copied (\d+) blob\(s\) \(\d+ bytes\), skipped (\d+) already there")]
    private static partial Regex SummaryLine();
}
