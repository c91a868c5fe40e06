namespace Scalegram.Storage;

/// <summary>Where blobs live (Storage:Engine).</summary>
internal enum StorageEngine
{
    /// <summary>Files under Storage:Directory (default DATA_DIR/blobs).</summary>
    Local,

    /// <summary>An S3-compatible object store (Storage:S3:*), shared by every web and worker node.</summary>
    S3,
}
