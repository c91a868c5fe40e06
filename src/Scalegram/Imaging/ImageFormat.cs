namespace Scalegram.Imaging;

/// <summary>The image formats accepted, recognised by their first bytes, never by file name or Content-Type.</summary>
internal sealed record ImageFormat(string Name, string MediaType, string Extension)
{
    public static readonly ImageFormat Jpeg = new("jpeg", "image/jpeg", "jpg");
    public static readonly ImageFormat Png = new("png", "image/png", "png");
    public static readonly ImageFormat Webp = new("webp", "image/webp", "webp");

    /// <summary>Only the first frame of an animated GIF becomes the photo (variants are still JPEGs).</summary>
    public static readonly ImageFormat Gif = new("gif", "image/gif", "gif");

    public const int SniffLength = 12;

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

        return null;
    }
}
