namespace Scalegram.Storage;

/// <summary>What a store knows about one blob without reading it: its key, size, and SHA-256 (hex) when recorded at put time.</summary>
internal sealed record BlobInfo(string Key, long Length, string? Sha256);
