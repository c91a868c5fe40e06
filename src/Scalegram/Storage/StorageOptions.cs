using System.ComponentModel.DataAnnotations;

namespace Scalegram.Storage;

/// <summary>The blob store's settings (section "Storage").</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Local (files under the data directory) or S3.</summary>
    [EnumDataType(typeof(StorageEngine), ErrorMessage = "Storage:Engine must be Local or S3.")]
    public StorageEngine Engine { get; set; } = StorageEngine.Local;

    /// <summary>Folder for Local blobs; defaults to DATA_DIR/blobs.</summary>
    public string? Directory { get; set; }

    /// <summary>The S3 store (read when Engine is S3, and by `scalegram blobs copy --to s3`).</summary>
    public S3Options S3 { get; set; } = new();
}
