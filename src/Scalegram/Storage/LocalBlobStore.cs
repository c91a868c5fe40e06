namespace Scalegram.Storage;

/// <summary>Blobs as files: written to a temp file, fsynced, then renamed into place, so a crash never leaves half a blob.</summary>
internal sealed class LocalBlobStore(string root) : IBlobStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public async Task PutAsync(string key, Stream content, CancellationToken ct = default)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = Path.Combine(Root, ".tmp", $"{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, ct);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct = default)
    {
        try
        {
            Stream stream = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string key, CancellationToken ct = default) => Task.FromResult(File.Exists(PathOf(key)));

    /// <summary>The file for a key; the key pattern rules out "..", so it always lies under Root.</summary>
    public string PathOf(string key) => Path.Combine(Root, BlobKey.Ensure(key));
}
