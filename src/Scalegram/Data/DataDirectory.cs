namespace Scalegram.Data;

/// <summary>
/// Keeps DATA_DIR private to the service's user: the directory (and db/) 0700, the SQLite files 0600. It
/// holds password hashes, session tokens, Data Protection keys and uploads. Existing installs are tightened
/// at start-up. Skipped on Windows (ACLs, not modes) and where the service does not own the path.
/// </summary>
internal static class DataDirectory
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> as 0700, or makes an existing one 0700.</summary>
    public static void EnsurePrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, DirectoryMode);
        TrySetMode(path, DirectoryMode);
    }

    /// <summary>Creates the SQLite file empty as 0600 before SQLite opens it (its -wal and -shm files then get the same mode), or makes existing ones 0600.</summary>
    public static void EnsurePrivateDatabaseFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (!File.Exists(path))
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(file))
            {
                TrySetMode(file, FileMode);
            }
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void TrySetMode(string path, UnixFileMode mode)
    {
        try
        {
            if (File.GetUnixFileMode(path) != mode)
            {
                File.SetUnixFileMode(path, mode);
            }
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours (a mount point owned by root, say): its owner decides.
        }
    }
}
