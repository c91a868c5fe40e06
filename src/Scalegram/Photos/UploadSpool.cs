namespace Scalegram.Photos;

/// <summary>The folder uploads are spooled to before they are validated and stored (DATA_DIR/tmp).</summary>
internal sealed class UploadSpool
{
    public UploadSpool(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
    }

    public string Directory { get; }

    public string NewPath() => Path.Combine(Directory, $"upload-{Guid.NewGuid():N}");
}
