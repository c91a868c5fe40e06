using System.Text;
using Scalegram.Imaging;
using Scalegram.Photos;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Photos;

public sealed class ImageFormatTests
{
    [Fact]
    public void Recognises_jpeg_png_and_webp_by_their_magic_bytes()
    {
        Assert.Same(ImageFormat.Jpeg, ImageFormat.Sniff(TestImages.Jpeg(16, 16)));
        Assert.Same(ImageFormat.Png, ImageFormat.Sniff(TestImages.Png(16, 16)));
        Assert.Same(ImageFormat.Webp, ImageFormat.Sniff(TestImages.Webp(16, 16)));
    }

    [Fact]
    public void Text_and_short_or_empty_input_are_no_format()
    {
        Assert.Null(ImageFormat.Sniff(Encoding.UTF8.GetBytes("this is just text, not a picture")));
        Assert.Null(ImageFormat.Sniff([0xFF, 0xD8]));
        Assert.Null(ImageFormat.Sniff([]));
        Assert.Null(ImageFormat.Sniff(Encoding.ASCII.GetBytes("RIFF0000WAVE")));
    }

    [Fact]
    public void Recognises_avif_and_heic_by_their_file_type_box()
    {
        Assert.Same(ImageFormat.Avif, ImageFormat.Sniff(TestImages.Avif(16, 16)));
        Assert.Same(ImageFormat.Heic, ImageFormat.Sniff(TestImages.Heic()));

        // A generic major brand (as some phones write) defers to the compatible brands.
        Assert.Same(ImageFormat.Heic, ImageFormat.Sniff(Ftyp("mif1", "mif1", "heic")));
        Assert.Same(ImageFormat.Avif, ImageFormat.Sniff(Ftyp("mif1", "miaf", "avif")));
        Assert.Same(ImageFormat.Heic, ImageFormat.Sniff(Ftyp("heix")));

        // Other ISO media files (MP4, QuickTime) are not images.
        Assert.Null(ImageFormat.Sniff(Ftyp("isom", "iso2", "mp41")));
        Assert.Null(ImageFormat.Sniff(Ftyp("qt  ")));
    }

    /// <summary>An ftyp box: size, "ftyp", major brand, minor version 0, compatible brands.</summary>
    private static byte[] Ftyp(string major, params string[] compatible)
    {
        var box = new List<byte>();
        box.AddRange(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(16 + (4 * compatible.Length))));
        box.AddRange(Encoding.ASCII.GetBytes("ftyp" + major));
        box.AddRange(new byte[4]);
        foreach (var brand in compatible)
        {
            box.AddRange(Encoding.ASCII.GetBytes(brand));
        }

        box.AddRange(new byte[16]);
        return [.. box];
    }
}
