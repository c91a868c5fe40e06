using NetVips;

namespace Scalegram.Imaging;

/// <summary>
/// How much memory decoding an image takes, from its header. A baseline JPEG or a plain PNG is decoded
/// a few rows at a time (shrink-on-load, sequential), so only the small working image counts; a
/// progressive JPEG keeps every DCT coefficient, and libvips more besides: measured 80 MB for 12 MP at
/// 4:2:0, so 2 bytes per pixel and band are counted. An interlaced PNG, a GIF frame or any other format
/// is held whole.
/// </summary>
internal static class DecodeMemory
{
    /// <summary>What any render holds besides the decoder: the working image, the variants, libvips' buffers.</summary>
    public const long PerRender = 16L << 20;

    public static long Estimate(Image header, bool whole)
    {
        var loader = header.Contains("vips-loader") ? (string)header.Get("vips-loader") : "";
        var pixels = (long)header.Width * header.Height;
        var bytesPerSample = header.Format is Enums.BandFormat.Uchar or Enums.BandFormat.Char ? 1 : 2;
        var held = loader switch
        {
            _ when loader.StartsWith("jpegload", StringComparison.Ordinal) => whole ? pixels * 2 * header.Bands : 0,
            _ when loader.StartsWith("pngload", StringComparison.Ordinal) => whole ? pixels * header.Bands * bytesPerSample : 0,
            _ when loader.StartsWith("gifload", StringComparison.Ordinal) => pixels * 4,
            _ when loader.StartsWith("webpload", StringComparison.Ordinal) => pixels * 4,
            _ => pixels * Math.Max(3, header.Bands) * bytesPerSample,
        };
        return PerRender + held;
    }
}
