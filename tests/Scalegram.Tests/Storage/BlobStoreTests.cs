using Scalegram.Storage;

namespace Scalegram.Tests.Storage;

public sealed class BlobStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "scalegram-blobs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [InlineData("p/123/large-abc.jpg")]
    [InlineData("originals/1-ff.png")]
    [InlineData("a")]
    public void Valid_keys(string key) => Assert.True(BlobKey.IsValid(key));

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("p/../secret.jpg")]
    [InlineData("../x.jpg")]
    [InlineData("/etc/passwd")]
    [InlineData("P/Upper.jpg")]
    [InlineData("p//x.jpg")]
    [InlineData("p/x.jpg/")]
    [InlineData("p\\x.jpg")]
    [InlineData(".hidden")]
    public void Invalid_keys_are_refused(string key)
    {
        Assert.False(BlobKey.IsValid(key));
        Assert.Throws<ArgumentException>(() => new LocalBlobStore(_root).PathOf(key));
    }

    [Fact]
    public void A_long_key_is_refused() => Assert.False(BlobKey.IsValid(new string('a', 201)));

    [Fact]
    public async Task Put_then_read_exists_and_delete()
    {
        var store = new LocalBlobStore(_root);
        await store.PutAsync("p/1/a.jpg", new MemoryStream([1, 2, 3]));

        Assert.True(await store.ExistsAsync("p/1/a.jpg"));
        await using (var read = await store.OpenReadAsync("p/1/a.jpg"))
        {
            var copy = new MemoryStream();
            await read!.CopyToAsync(copy);
            Assert.Equal([1, 2, 3], copy.ToArray());
        }

        await store.DeleteAsync("p/1/a.jpg");
        Assert.False(await store.ExistsAsync("p/1/a.jpg"));
        Assert.Null(await store.OpenReadAsync("p/1/a.jpg"));
        await store.DeleteAsync("p/1/a.jpg");
    }

    [Fact]
    public async Task Nothing_is_visible_under_the_key_until_the_whole_blob_is_written()
    {
        var store = new LocalBlobStore(_root);
        var seenMidway = true;
        var content = new ProbingStream(new byte[300_000], 100_000, () => seenMidway = File.Exists(store.PathOf("p/2/b.jpg")));

        await store.PutAsync("p/2/b.jpg", content);

        Assert.False(seenMidway);
        Assert.Equal(300_000, new FileInfo(store.PathOf("p/2/b.jpg")).Length);
    }

    [Fact]
    public async Task A_failed_put_leaves_no_partial_file_and_keeps_the_old_blob()
    {
        var store = new LocalBlobStore(_root);
        await store.PutAsync("p/3/c.jpg", new MemoryStream([9, 9]));

        var failing = new ProbingStream(new byte[300_000], 100_000, () => throw new IOException("disk went away"));
        await Assert.ThrowsAsync<IOException>(() => store.PutAsync("p/3/c.jpg", failing));
        await Assert.ThrowsAsync<IOException>(() => store.PutAsync("p/3/d.jpg", new ProbingStream(new byte[300_000], 100_000, () => throw new IOException("again"))));

        Assert.Equal([9, 9], await File.ReadAllBytesAsync(store.PathOf("p/3/c.jpg")));
        Assert.False(File.Exists(store.PathOf("p/3/d.jpg")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".tmp")));
    }

    /// <summary>A stream that calls back once after a given number of bytes were read.</summary>
    private sealed class ProbingStream(byte[] data, int probeAt, Action probe) : MemoryStream(data)
    {
        private bool _probed;

        public override int Read(Span<byte> buffer) => Probe(base.Read(buffer));

        public override int Read(byte[] buffer, int offset, int count) => Probe(base.Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Probe(base.Read(buffer.Span)));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Probe(base.Read(buffer, offset, count)));

        private int Probe(int read)
        {
            if (!_probed && Position >= probeAt)
            {
                _probed = true;
                probe();
            }

            return read;
        }
    }
}
