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
            throw new ImageRejected("The file's header could not be read: it is not a valid JPEG, PNG, GIF, WebP or AVIF image.");
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
        var whole = header.Contains("interlaced") && Convert.ToInt32(header.Get("interlaced"), System.Globalization.CultureInfo.InvariantCulture) != 0;
        var convert = header.Interpretation == Enums.Interpretation.Cmyk
            || (header.Contains("icc-profile-data") && !IccProfile.IsSrgb((byte[])header.Get("icc-profile-data")));
        return new ImageHeader(header.Width, header.Height, orientation)
        {
            Whole = whole,
            DecodeBytes = DecodeMemory.Estimate(header, whole),
            ConvertToSrgb = convert,
        };
    }
}

/// <summary>What the header says: stored size and EXIF orientation (5–8 mean the displayed image is turned 90°).</summary>
internal readonly record struct ImageHeader(int Width, int Height, int Orientation)
{
    /// <summary>Progressive JPEG or interlaced PNG: the decoder must hold the whole image before giving out a row.</summary>
    public bool Whole { get; init; }

    /// <summary>It carries a colour profile other than sRGB (or is CMYK): its pixels must be converted to look right.</summary>
    public bool ConvertToSrgb { get; init; }

    /// <summary>About how much memory decoding it takes (<see cref="DecodeMemory"/>).</summary>
    public long DecodeBytes { get; init; } = DecodeMemory.PerRender;

    public bool Turned => Orientation is >= 5 and <= 8;

    public int DisplayWidth => Turned ? Height : Width;

    public int DisplayHeight => Turned ? Width : Height;
}
