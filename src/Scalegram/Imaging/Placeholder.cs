using NetVips;

namespace Scalegram.Imaging;

/// <summary>
/// A photo's placeholder: a 16-pixel WebP as a data: URL (~100–250 bytes), shown blurred and stretched
/// while the real image loads. Any image decoder draws it (no BlurHash decoder to ship), and no
/// BlurHash package is available to this build.
/// </summary>
internal static class Placeholder
{
    public const int Size = 16;
    public const string Prefix = "data:image/webp;base64,";

    /// <summary>
    /// Made from an encoded variant (the medium one keeps the photo's shape), which decodes with shrink-on-load
    /// in a few milliseconds. A nicety: if it cannot be made, the photo goes without one (null) rather than failing.
    /// </summary>
    public static string? FromVariant(byte[] variant, CancellationToken ct = default)
    {
        try
        {
            using var tiny = Image.ThumbnailBuffer(variant, Size, height: Size, size: Enums.Size.Down);
            var bytes = VipsCancellation.Compute(tiny, t => t.WebpsaveBuffer(q: 40, effort: 6, keep: Enums.ForeignKeep.None), ct);
            return Prefix + Convert.ToBase64String(bytes);
        }
        catch (VipsException)
        {
            return null;
        }
    }
}
