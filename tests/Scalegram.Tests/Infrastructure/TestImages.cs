using NetVips;

namespace Scalegram.Tests.Infrastructure;

/// <summary>Real images made on the fly with libvips, so tests need no binary fixtures.</summary>
public static class TestImages
{
    public static byte[] Jpeg(int width = 800, int height = 600, int? exifOrientation = null, bool withGps = false)
    {
        using var image = Gradient(width, height);
        using var tagged = image.Mutate(m =>
        {
            if (exifOrientation is { } o)
            {
                m.Set(GValue.GIntType, "orientation", o);
            }

            if (withGps)
            {
                m.Set(GValue.GStrType, "exif-ifd3-GPSLatitude", "51/1 30/1 0/1 (51, 30, 0, Rational, 3)");
            }
        });
        return tagged.JpegsaveBuffer(q: 90, keep: Enums.ForeignKeep.All);
    }

    public static byte[] Png(int width = 640, int height = 480, bool alpha = false)
    {
        using var image = Gradient(width, height);
        using var withAlpha = alpha ? image.Bandjoin(255) : image.Copy();
        return withAlpha.PngsaveBuffer();
    }

    public static byte[] Webp(int width = 640, int height = 480)
    {
        using var image = Gradient(width, height);
        return image.WebpsaveBuffer(q: 80);
    }

    /// <summary>A colourful image: x, y and a constant as the three bands, so crops and filters change the pixels.</summary>
    public static Image Gradient(int width, int height)
    {
        using var xy = Image.Xyz(width, height);
        using var scaled = xy.Linear([255.0 / Math.Max(1, width), 255.0 / Math.Max(1, height)], [0.0, 0.0]);
        using var third = scaled[0].Linear([0.0], [128.0]);
        using var rgb = scaled.Bandjoin(third);
        return rgb.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
    }
}
