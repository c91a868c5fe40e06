using System.ComponentModel.DataAnnotations;

namespace Scalegram.Photos;

/// <summary>Upload limits and variant settings (section "Photos").</summary>
internal sealed class PhotoOptions : IValidatableObject
{
    public const string Section = "Photos";

    /// <summary>The largest upload accepted; bigger ones are refused with 413 while streaming.</summary>
    [Range(1024, 1L << 31, ErrorMessage = "Photos:MaxUploadBytes must be between 1 KiB and 2 GiB.")]
    public long MaxUploadBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>Images with more pixels than this are refused from their header, never decoded.</summary>
    [Range(1, 500_000_000, ErrorMessage = "Photos:MaxPixels must be between 1 and 500,000,000.")]
    public long MaxPixels { get; set; } = 50_000_000;

    [Range(1, 100, ErrorMessage = "Photos:JpegQuality must be between 1 and 100.")]
    public int JpegQuality { get; set; } = 82;

    /// <summary>
    /// Formats made beside each JPEG variant (docs/photo-pipeline.md): "avif" (where the image library can
    /// write AV1) and "webp", comma-separated; "" for JPEG only. They cost encode time on the worker (AVIF the most).
    /// </summary>
    public string Formats { get; set; } = "avif,webp";

    /// <summary>The names in <see cref="Formats"/>.</summary>
    public IEnumerable<string> FormatNames => Formats.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Range(1, 100, ErrorMessage = "Photos:WebpQuality must be between 1 and 100.")]
    public int WebpQuality { get; set; } = 80;

    [Range(1, 100, ErrorMessage = "Photos:AvifQuality must be between 1 and 100.")]
    public int AvifQuality { get; set; } = 50;

    /// <summary>
    /// The AV1 encoder's effort (0 fastest … 9 smallest files). 1 costs about what WebP does; 4 halves the
    /// bytes again on textured photos but takes ~20× as long (docs/photo-pipeline.md).
    /// </summary>
    [Range(0, 9, ErrorMessage = "Photos:AvifEffort must be between 0 and 9.")]
    public int AvifEffort { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        FormatNames.Where(f => !Imaging.ModernFormats.Known.Contains(f.Trim().ToLowerInvariant()))
            .Select(f => new ValidationResult($"Photos:Formats lists '{f}'; the formats that can be made beside JPEG are {string.Join(", ", Imaging.ModernFormats.Known)}.", [nameof(Formats)]));

    /// <summary>Uploads one account may start per hour (a fixed window from its first); more get 429 with Retry-After. 0 turns the limit off.</summary>
    [Range(0, 1_000_000, ErrorMessage = "Photos:UploadsPerHour must be between 0 (no limit) and 1000000.")]
    public int UploadsPerHour { get; set; } = 1000;

    /// <summary>Photos one account may keep (any status); an upload past it gets 403 "upload-quota-exceeded". 0 turns the quota off.</summary>
    [Range(0, 100_000_000, ErrorMessage = "Photos:MaxPhotosPerUser must be between 0 (no quota) and 100000000.")]
    public long MaxPhotosPerUser { get; set; } = 100_000;
}
