namespace Scalegram.Storage;

/// <summary>Where photo bytes live: local disk embedded, S3-compatible storage scaled out. Keys are always server-made.</summary>
internal interface IBlobStore
{
    /// <summary>Stores the stream under <paramref name="key"/> atomically: readers see all of it or nothing.</summary>
    Task PutAsync(string key, Stream content, CancellationToken ct = default);

    /// <summary>Opens a blob for reading, or null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct = default);

    Task DeleteAsync(string key, CancellationToken ct = default);

    Task<bool> ExistsAsync(string key, CancellationToken ct = default);
}
