namespace Scalegram.Imaging;

/// <summary>The image formats accepted, recognised by their first bytes, never by file name or Content-Type.</summary>
internal sealed record ImageFormat(string Name, string MediaType, string Extension)
{
    public static readonly ImageFormat Jpeg = new("jpeg", "image/jpeg", "jpg");
    public static readonly ImageFormat Png = new("png", "image/png", "png");
    public static readonly ImageFormat Webp = new("webp", "image/webp", "webp");
    public static readonly ImageFormat Avif = new("avif", "image/avif", "avif");

    /// <summary>Only the first frame of an animated GIF becomes the photo (variants are still JPEGs).</summary>
    public static readonly ImageFormat Gif = new("gif", "image/gif", "gif");

    /// <summary>Recognised so it can be refused clearly when the library cannot decode it (<see cref="HeifSupport.CanDecodeHeic"/>).</summary>
    public static readonly ImageFormat Heic = new("heic", "image/heic", "heic");

    /// <summary>Enough for the ISO-BMFF (HEIF/AVIF) file-type box's major brand and its first compatible brands.</summary>
    public const int SniffLength = 32;

    // HEIF brands whose images are HEVC-coded (ISO/IEC 23008-12); AVIF's are AV1-coded.
    private static readonly string[] HeicBrands = ["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs"];
    private static readonly string[] AvifBrands = ["avif", "avis"];

    public static ImageFormat? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return Jpeg;
        }

        if (head.Length >= 8 && head[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
        {
            return Png;
        }

        if (head.Length >= 6 && (head[..6].SequenceEqual("GIF87a"u8) || head[..6].SequenceEqual("GIF89a"u8)))
        {
            return Gif;
        }

        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return Webp;
        }

        return head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8) ? SniffHeif(head) : null;
    }

    /// <summary>
    /// The major brand decides; a generic one (mif1, msf1) defers to the compatible brands that follow it
    /// within the ftyp box, as phones and encoders write either.
    /// </summary>
    private static ImageFormat? SniffHeif(ReadOnlySpan<byte> head)
    {
        var boxEnd = Math.Min(head.Length, (int)Math.Min(int.MaxValue, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(head)));
        for (var at = 8; at + 4 <= boxEnd; at += at == 8 ? 8 : 4)
        {
            // Offsets 8 (major brand), then 16, 20, ... (compatible brands; 12 is the minor version).
            var brand = System.Text.Encoding.ASCII.GetString(head.Slice(at, 4));
            if (AvifBrands.Contains(brand))
            {
                return Avif;
            }

            if (HeicBrands.Contains(brand))
            {
                return Heic;
            }
        }

        return null;
    }
}
