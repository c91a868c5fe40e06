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
    /// Above this many pixels a PNG, GIF or progressive JPEG is not previewed at upload: it would cost about a full
    /// decode (PNG and GIF do not shrink on load; a progressive JPEG must read every scan of every coefficient).
    /// </summary>
    public const long MaxFullDecodePixels = 2_000_000;

    /// <summary>Large enough that the crop of a 1/8-scale decode still has pixels to spare, small enough to cost nothing.</summary>
    private const int WorkingSize = 128;

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

    /// <summary>
    /// Made at upload from the spooled original so a photo has one while it is still processing, when that is cheap:
    /// a baseline JPEG decodes at 1/8 scale (libjpeg's DCT scaling) and WebP scales while decoding, so any accepted
    /// size costs milliseconds; a PNG, GIF or progressive JPEG costs about a full decode, so only a small one
    /// (≤ <see cref="MaxFullDecodePixels"/>) is previewed; AVIF/HEIC (a full AV1/HEVC decode) never. The crop is
    /// applied on a 128 px working copy (nearly free); the filter is not (the worker's placeholder, made from the
    /// finished medium variant, replaces this one when ready).
    /// Best effort: null on any failure, never an upload's error; throws only when <paramref name="ct"/> is cancelled.
    /// </summary>
    public static string? FromOriginal(string path, ImageFormat format, ImageHeader header, CropRect? crop, CancellationToken ct)
    {
        if (!IsCheap(format, header))
        {
            return null;
        }

        try
        {
            // thumbnail autorotates and picks the shrink-on-load factor; the export profile converts CMYK or tagged RGB.
            using var working = Image.Thumbnail(path, WorkingSize, height: WorkingSize, size: Enums.Size.Down, outputProfile: header.ConvertToSrgb ? "srgb" : null);
            using var cropped = CropStage.Apply(working, crop, header);
            using var tiny = cropped.ThumbnailImage(Size, height: Size, size: Enums.Size.Down);
            using var srgb = tiny.Colourspace(Enums.Interpretation.Srgb); // 8-bit sRGB whatever came in (grey, 16-bit, CMYK)
            var bytes = VipsCancellation.Compute(srgb, t => t.WebpsaveBuffer(q: 40, effort: 6, keep: Enums.ForeignKeep.None), ct);
            return Prefix + Convert.ToBase64String(bytes);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null; // a header that probed fine but pixels that do not decode: the worker reports that, not the upload
        }
    }

    private static bool IsCheap(ImageFormat format, ImageHeader header) =>
        (format == ImageFormat.Jpeg && !header.Whole) || format == ImageFormat.Webp
            || ((format == ImageFormat.Jpeg || format == ImageFormat.Png || format == ImageFormat.Gif) && (long)header.Width * header.Height <= MaxFullDecodePixels);
}
