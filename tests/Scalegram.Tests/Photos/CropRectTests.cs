using Scalegram.Imaging;
using Scalegram.Photos;

namespace Scalegram.Tests.Photos;

public sealed class CropRectTests
{
    [Theory]
    [InlineData("0,0,10,20", 0, 0, 10, 20)]
    [InlineData(" 5, 6 ,7, 8 ", 5, 6, 7, 8)]
    public void Parses_x_y_width_height(string text, int x, int y, int w, int h)
    {
        Assert.True(CropRect.TryParse(text, out var crop, out _));
        Assert.Equal(new CropRect(x, y, w, h), crop);
        Assert.Equal($"{x},{y},{w},{h}", crop.Value.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1,2,3")]
    [InlineData("1,2,3,4,5")]
    [InlineData("a,b,c,d")]
    [InlineData("-1,0,10,10")]
    [InlineData("1.5,0,10,10")]
    [InlineData("0,0,0,10")]
    [InlineData("0,0,10,0")]
    [InlineData("99999999999,0,10,10")]
    public void Refuses_malformed_crops_with_a_message(string? text)
    {
        Assert.False(CropRect.TryParse(text, out var crop, out var error));
        Assert.Null(crop);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Fits_only_inside_the_image()
    {
        Assert.True(new CropRect(0, 0, 100, 50).FitsIn(100, 50));
        Assert.False(new CropRect(1, 0, 100, 50).FitsIn(100, 50));
        Assert.False(new CropRect(0, 0, 100, 51).FitsIn(100, 50));
        Assert.False(new CropRect(int.MaxValue, 0, int.MaxValue, 1).FitsIn(100, 50));
    }
}
