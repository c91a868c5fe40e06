namespace Scalegram.Photos;

/// <summary>The folder uploads are spooled to before they are validated and stored (DATA_DIR/tmp).</summary>
internal sealed class UploadSpool
{
    public const string Prefix = "upload-";

    public UploadSpool(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
    }

    public string Directory { get; }

    public string NewPath() => Path.Combine(Directory, $"{Prefix}{Guid.NewGuid():N}");

    /// <summary>
    /// Deletes spooled files not written for <paramref name="maxAge"/>: left by a crash or a path that forgot
    /// them. A file being written is fresh (Kestrel drops a client sending slower than its minimum data rate),
    /// so another process's upload in progress is never touched. Returns how many went.
    /// </summary>
    public int Sweep(TimeSpan maxAge, DateTimeOffset now)
    {
        var deleted = 0;
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles(Prefix + "*"))
        {
            try
            {
                if (now - file.LastWriteTimeUtc > maxAge)
                {
                    file.Delete();
                    deleted++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or held open: the next sweep sees it again.
            }
        }

        return deleted;
    }

    /// <summary>Deletes one spooled file; never throws (a cleanup must not replace the error being handled).</summary>
    public static void Delete(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The sweeper deletes it later.
        }
    }
}
