using Scalegram.Storage;

namespace Scalegram.Tests.Storage;

/// <summary>
/// What every blob store promises (<see cref="IBlobStore"/>), run against each one: the local disk store
/// and the S3 store on a real Swift server. A store that breaks a promise fails here, whatever it is.
/// </summary>
public abstract class BlobStoreContract : IAsyncLifetime
{
    /// <summary>Above the S3 store's multipart threshold in these tests (5 MiB parts): three parts.</summary>
    protected const int LargeSize = 12 * 1024 * 1024;

    private IBlobStore? _store;

    internal IBlobStore Store => _store ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual Task DisposeAsync()
    {
        (_store as IDisposable)?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Put_then_get_returns_the_same_bytes()
    {
        var bytes = RandomBytes(300_000);
        await Store.PutAsync("p/1/a.jpg", new MemoryStream(bytes));

        Assert.Equal(bytes, await ReadAsync("p/1/a.jpg"));
    }

    [Fact]
    public async Task Head_and_exists_tell_the_size_of_a_stored_blob()
    {
        await Store.PutAsync("p/1/b.jpg", new MemoryStream(RandomBytes(12_345)));

        Assert.True(await Store.ExistsAsync("p/1/b.jpg"));
        var head = await Store.HeadAsync("p/1/b.jpg");
        Assert.NotNull(head);
        Assert.Equal("p/1/b.jpg", head.Key);
        Assert.Equal(12_345, head.Length);
    }

    [Fact]
    public async Task A_missing_key_reads_as_nothing()
    {
        Assert.Null(await Store.OpenReadAsync("p/404/none.jpg"));
        Assert.Null(await Store.HeadAsync("p/404/none.jpg"));
        Assert.False(await Store.ExistsAsync("p/404/none.jpg"));
    }

    [Fact]
    public async Task Delete_removes_a_blob_and_is_idempotent()
    {
        await Store.PutAsync("p/2/c.jpg", new MemoryStream([1, 2, 3]));

        await Store.DeleteAsync("p/2/c.jpg");
        Assert.False(await Store.ExistsAsync("p/2/c.jpg"));
        Assert.Null(await Store.OpenReadAsync("p/2/c.jpg"));

        await Store.DeleteAsync("p/2/c.jpg");
        await Store.DeleteAsync("p/2/never-was.jpg");
    }

    [Fact]
    public async Task A_put_replaces_the_blob_under_the_same_key()
    {
        await Store.PutAsync("p/3/d.jpg", new MemoryStream([1, 1, 1]));
        await Store.PutAsync("p/3/d.jpg", new MemoryStream([2, 2]));

        Assert.Equal([2, 2], await ReadAsync("p/3/d.jpg"));
    }

    [Fact]
    public async Task Listing_by_prefix_finds_exactly_the_keys_that_start_with_it()
    {
        foreach (var key in new[] { "p/1/a.jpg", "p/1/b.jpg", "p/12/c.jpg", "originals/9-x.png" })
        {
            await Store.PutAsync(key, new MemoryStream([7, 7, 7, 7]));
        }

        Assert.Equal(["p/1/a.jpg", "p/1/b.jpg"], await ListAsync("p/1/"));
        Assert.Equal(["p/1/a.jpg", "p/1/b.jpg", "p/12/c.jpg"], await ListAsync("p/1"));
        Assert.Equal(["originals/9-x.png", "p/1/a.jpg", "p/1/b.jpg", "p/12/c.jpg"], await ListAsync(""));
        Assert.Empty(await ListAsync("q/"));
        await foreach (var blob in Store.ListAsync("originals/"))
        {
            Assert.Equal(4, blob.Length);
        }
    }

    [Fact]
    public async Task A_failed_put_leaves_nothing_new_and_keeps_the_old_blob()
    {
        await Store.PutAsync("p/4/e.jpg", new MemoryStream([9, 9]));

        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("p/4/e.jpg", FailingStream.After(LargeSize, 3 * 1024 * 1024)));
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("p/4/f.jpg", FailingStream.After(300_000, 100_000)));

        Assert.Equal([9, 9], await ReadAsync("p/4/e.jpg"));
        Assert.False(await Store.ExistsAsync("p/4/f.jpg"));
        Assert.Equal(["p/4/e.jpg"], await ListAsync("p/4/"));
    }

    [Fact]
    public async Task A_reader_never_sees_a_partial_object()
    {
        var bytes = RandomBytes(LargeSize);
        var put = Task.Run(() => Store.PutAsync("p/5/big.jpg", new MemoryStream(bytes)));
        while (!put.IsCompleted)
        {
            if (await Store.OpenReadAsync("p/5/big.jpg") is { } stream)
            {
                await using (stream)
                {
                    var copy = new MemoryStream();
                    await stream.CopyToAsync(copy);
                    Assert.Equal(bytes.Length, copy.Length);
                    Assert.True(Same(bytes, copy.ToArray()), "A reader saw other bytes than the whole object.");
                }
            }

            await Task.Delay(10);
        }

        await put;
        Assert.True(Same(bytes, await ReadAsync("p/5/big.jpg")));
    }

    [Fact]
    public async Task Concurrent_puts_of_the_same_key_leave_exactly_one_of_them_whole()
    {
        var contents = Enumerable.Range(0, 6).Select(_ => RandomBytes(200_000)).ToList();

        await Task.WhenAll(contents.Select(c => Task.Run(() => Store.PutAsync("p/6/same.jpg", new MemoryStream(c)))));

        var stored = await ReadAsync("p/6/same.jpg");
        Assert.Single(contents, c => Same(c, stored));
        Assert.Equal(["p/6/same.jpg"], await ListAsync("p/6/"));
    }

    [Fact]
    public async Task A_large_object_is_stored_whole()
    {
        var bytes = RandomBytes(LargeSize + 12_345);

        await Store.PutAsync("originals/7-large.jpg", new MemoryStream(bytes));

        Assert.Equal(bytes.Length, (await Store.HeadAsync("originals/7-large.jpg"))!.Length);
        Assert.True(Same(bytes, await ReadAsync("originals/7-large.jpg")));
    }

    [Fact]
    public async Task A_stream_that_cannot_seek_is_stored_too()
    {
        var bytes = RandomBytes(50_000);

        await Store.PutAsync("p/8/pipe.jpg", new ForwardOnlyStream(bytes));

        Assert.Equal(bytes, await ReadAsync("p/8/pipe.jpg"));
    }

    [Theory]
    [InlineData("../x.jpg")]
    [InlineData("P/Upper.jpg")]
    [InlineData("p//x.jpg")]
    public async Task Keys_that_are_not_blob_keys_are_refused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, new MemoryStream([1])));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(key));
    }

    internal abstract Task<IBlobStore> CreateStoreAsync();

    protected static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Byte-for-byte equality without xunit's slow diff of megabyte arrays.</summary>
    protected static bool Same(byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b);

    protected async Task<byte[]> ReadAsync(string key)
    {
        await using var stream = await Store.OpenReadAsync(key) ?? throw new InvalidOperationException($"{key} is missing.");
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    protected async Task<List<string>> ListAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var blob in Store.ListAsync(prefix))
        {
            keys.Add(blob.Key);
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    /// <summary>A source that throws IOException once <paramref name="failAt"/> bytes have been read (the disk or client went away).</summary>
    protected sealed class FailingStream(byte[] data, long failAt, int passesBeforeFailing) : MemoryStream(data)
    {
        private int _passes;

        public static FailingStream After(int length, long failAt, int passesBeforeFailing = 0) => new(RandomBytes(length), failAt, passesBeforeFailing);

        public override long Position
        {
            get => base.Position;
            set
            {
                // A rewind to the start means the store reads it again (hash first, then upload).
                if (value == 0 && base.Position > 0)
                {
                    _passes++;
                }

                base.Position = value;
            }
        }

        public override int Read(Span<byte> buffer) => Check(base.Read(buffer));

        public override int Read(byte[] buffer, int offset, int count) => Check(base.Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Check(base.Read(buffer.Span)));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Check(base.Read(buffer, offset, count)));

        private int Check(int read) =>
            _passes >= passesBeforeFailing && Position >= failAt ? throw new IOException("The source went away midway.") : read;
    }

    /// <summary>A stream that can only be read forward, as a network body is.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
