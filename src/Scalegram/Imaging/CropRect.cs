using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Scalegram.Imaging;

/// <summary>A crop in the original image's pixels (as displayed, after EXIF orientation): "x,y,width,height".</summary>
internal readonly record struct CropRect(int X, int Y, int Width, int Height)
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out CropRect? crop, [NotNullWhen(false)] out string? error)
    {
        crop = null;
        var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        var values = new int[4];
        if (parts.Length != 4 || !parts.Select((p, i) => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out values[i])).All(ok => ok))
        {
            error = "crop must be four whole numbers 'x,y,width,height' in the original image's pixels.";
            return false;
        }

        if (values[2] < 1 || values[3] < 1)
        {
            error = "crop width and height must be at least 1 pixel.";
            return false;
        }

        crop = new CropRect(values[0], values[1], values[2], values[3]);
        error = null;
        return true;
    }

    public bool FitsIn(int width, int height) => (long)X + Width <= width && (long)Y + Height <= height;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{X},{Y},{Width},{Height}");
}
