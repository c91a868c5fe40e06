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
}
