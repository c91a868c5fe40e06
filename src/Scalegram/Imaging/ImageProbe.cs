using NetVips;

namespace Scalegram.Imaging;

/// <summary>Reads an image's size and orientation from its header only: no pixel is decoded, so a bomb costs nothing.</summary>
internal static class ImageProbe
{
    public static ImageHeader Probe(string path, long maxPixels) =>
        Probe(() => Image.NewFromFile(path, access: Enums.Access.Sequential), maxPixels);

    public static ImageHeader Probe(byte[] bytes, long maxPixels) =>
        Probe(() => Image.NewFromBuffer(bytes, access: Enums.Access.Sequential), maxPixels);

    private static ImageHeader Probe(Func<Image> open, long maxPixels)
    {
        Image header;
        try
        {
            header = open();
        }
        catch (VipsException)
        {
            throw new ImageRejected("The file's header could not be read: it is not a valid JPEG, PNG, WebP or AVIF image.");
        }

        using (header)
        {
            return Check(header, maxPixels);
        }
    }

    private static ImageHeader Check(Image header, long maxPixels)
    {
        var pixels = (long)header.Width * header.Height;
        if (pixels > maxPixels)
        {
            throw new ImageRejected($"The image is {header.Width}×{header.Height} ({pixels / 1_000_000.0:0.#} megapixels); the limit is {maxPixels / 1_000_000.0:0.#} megapixels.", ImageRejected.TooLarge);
        }

        var orientation = header.Contains("orientation") ? Convert.ToInt32(header.Get("orientation"), System.Globalization.CultureInfo.InvariantCulture) : 1;
        return new ImageHeader(header.Width, header.Height, orientation);
    }
}

/// <summary>What the header says: stored size and EXIF orientation (5–8 mean the displayed image is turned 90°).</summary>
internal readonly record struct ImageHeader(int Width, int Height, int Orientation)
{
    public bool Turned => Orientation is >= 5 and <= 8;

    public int DisplayWidth => Turned ? Height : Width;

    public int DisplayHeight => Turned ? Width : Height;
}
