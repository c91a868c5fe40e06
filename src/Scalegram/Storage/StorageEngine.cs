namespace Scalegram.Storage;

/// <summary>Where blobs live (Storage:Engine).</summary>
internal enum StorageEngine
{
    /// <summary>Files under Storage:Directory (default DATA_DIR/blobs).</summary>
    Local,

    /// <summary>An S3-compatible object store (not in this build yet).</summary>
    S3,
}
