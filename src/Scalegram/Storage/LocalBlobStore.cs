using System.Runtime.CompilerServices;

namespace Scalegram.Storage;

/// <summary>Blobs as files: written to a temp file, fsynced, then renamed into place, so a crash never leaves half a blob.</summary>
internal sealed class LocalBlobStore(string root) : IBlobStore
{
    private const string TempFolder = ".tmp";

    public string Root { get; } = Path.GetFullPath(root);

    public async Task PutAsync(string key, Stream content, CancellationToken ct = default)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = Path.Combine(Root, TempFolder, $"{Guid.NewGuid():N}");
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

    public Task<BlobInfo?> HeadAsync(string key, CancellationToken ct = default)
    {
        var file = new FileInfo(PathOf(key));
        return Task.FromResult(file.Exists ? new BlobInfo(key, file.Length, null) : null);
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (!Directory.Exists(Root))
        {
            yield break;
        }

        var files = new DirectoryInfo(Root).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true });
        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(Root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');

            // Only files that are blobs: the temp folder and stray files with other names are not.
            if (key.StartsWith(prefix, StringComparison.Ordinal) && BlobKey.IsValid(key))
            {
                yield return new BlobInfo(key, file.Length, null);
            }
        }

        await Task.CompletedTask;
    }

    /// <summary>The file for a key; the key pattern rules out "..", so it always lies under Root.</summary>
    public string PathOf(string key) => Path.Combine(Root, BlobKey.Ensure(key));
}
