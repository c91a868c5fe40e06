namespace Scalegram.Storage;

/// <summary>Where photo bytes live: local disk embedded, S3-compatible storage scaled out. Keys are always server-made.</summary>
internal interface IBlobStore
{
    /// <summary>Stores the stream under <paramref name="key"/> atomically: readers see all of it or nothing, and a failed put leaves nothing new.</summary>
    Task PutAsync(string key, Stream content, CancellationToken ct = default);

    /// <summary>Opens a blob for reading, or null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct = default);

    /// <summary>Removes a blob; removing a missing one is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken ct = default);

    Task<bool> ExistsAsync(string key, CancellationToken ct = default);

    /// <summary>A blob's size (and content hash when the store keeps one), or null when it does not exist.</summary>
    Task<BlobInfo?> HeadAsync(string key, CancellationToken ct = default);

    /// <summary>Every blob whose key starts with <paramref name="prefix"/> (a plain string prefix, as in S3), in no promised order.</summary>
    IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken ct = default);
}
