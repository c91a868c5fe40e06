using Scalegram.Imaging;
namespace Scalegram.Photos;

/// <summary>A parsed upload: the file already spooled to a temp file, plus the form fields.</summary>
internal sealed class UploadForm : IDisposable
{
    public required string TempPath { get; init; }

    public required long Length { get; init; }

    public required ImageFormat Format { get; init; }

    public string Caption { get; init; } = "";

    public string Filter { get; init; } = Filters.None;

    public CropRect? Crop { get; init; }

    public void Dispose() => File.Delete(TempPath);
}
