using System.Text.Json.Serialization;

namespace Scalegram.Photos;

/// <summary>A photo row as stored on its owner's shard.</summary>
internal sealed class PhotoRecord
{
    public long Id { get; init; }

    public long OwnerId { get; init; }

    public string Caption { get; init; } = "";

    public string? Filter { get; init; }

    public string? Crop { get; init; }

    public string Status { get; init; } = PhotoStatus.Processing;

    public string? FailureReason { get; init; }

    public string OriginalKey { get; init; } = "";

    /// <summary>JSON array of <see cref="StoredVariant"/>, set when the photo turns ready.</summary>
    public string? Variants { get; init; }

    /// <summary>A tiny preview (data: URL of a 16 px WebP) shown while the photo loads; null for photos made before it existed.</summary>
    public string? Placeholder { get; init; }

    public long CreatedAt { get; init; }

    public long Likes { get; init; }

    public long Comments { get; init; }

    private IReadOnlyList<StoredVariant>? _variantList;

    /// <summary>
    /// <see cref="Variants"/> parsed once per instance: a record held in the memory cache serves every read of the
    /// photo (and every feed page it is on) without parsing its JSON again. Not part of the cached entry's shape.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<StoredVariant> VariantList => _variantList ??= PhotoJson.ReadVariants(Variants);
}

/// <summary>The states a photo moves through: processing → ready | failed.</summary>
internal static class PhotoStatus
{
    public const string Processing = "processing";
    public const string Ready = "ready";
    public const string Failed = "failed";
}

/// <summary>
/// One stored variant: its size and the JPEG's blob key (content-hashed, so it never changes), plus the
/// same variant in other formats (best first); photos made before those existed have none, and older
/// nodes reading this ignore the field.
/// </summary>
internal sealed record StoredVariant(
    string Name,
    int Width,
    int Height,
    string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<StoredAlternate>? Alternates = null)
{
    /// <summary>Every blob key of this variant: the JPEG's and each other format's.</summary>
    [JsonIgnore]
    public IEnumerable<string> AllKeys => [Key, .. (Alternates ?? []).Select(a => a.Key)];
}

/// <summary>A variant in another format than JPEG: its media type (image/avif, image/webp) and blob key.</summary>
internal sealed record StoredAlternate(string Type, string Key);
