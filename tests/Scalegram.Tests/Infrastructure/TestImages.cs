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

    public static byte[] Avif(int width = 640, int height = 480)
    {
        using var image = Gradient(width, height);
        return image.HeifsaveBuffer(q: 60, compression: Enums.ForeignHeifCompression.Av1, effort: 0);
    }

    /// <summary>
    /// A real HEIC (HEVC-coded, 64×64, as Debian's libvips writes it): the bundled libvips cannot encode HEVC,
    /// so this is the sample the server itself checks its decoder with.
    /// </summary>
    public static byte[] Heic() => Convert.FromBase64String(Scalegram.Imaging.HeifSupport.HevcSample);

    /// <summary>A colourful image: x, y and a constant as the three bands, so crops and filters change the pixels.</summary>
    public static Image Gradient(int width, int height)
    {
        using var xy = Image.Xyz(width, height);
        using var scaled = xy.Linear([255.0 / Math.Max(1, width), 255.0 / Math.Max(1, height)], [0.0, 0.0]);
        using var third = scaled[0].Linear([0.0], [128.0]);
        using var rgb = scaled.Bandjoin(third);
        return rgb.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
    }

    /// <summary>Fine black-and-white stripes: lots of detail, so a blur visibly lowers the contrast.</summary>
    public static byte[] StripesJpeg(int width = 800, int height = 600)
    {
        using var xy = Image.Xyz(width, height);
        using var stripes = (xy[0] % 4) < 2;
        using var rgb = stripes.Bandjoin(stripes, stripes).Copy(interpretation: Enums.Interpretation.Srgb);
        return rgb.JpegsaveBuffer(q: 95);
    }

    /// <summary>A PNG that is mostly one colour: huge when decoded, tiny when compressed (a "decompression bomb").</summary>
    public static byte[] FlatPng(int width, int height)
    {
        using var black = Image.Black(width, height);
        using var grey = black.Cast(Enums.BandFormat.Uchar);
        return grey.PngsaveBuffer(compression: 9);
    }

    /// <summary>
    /// A small valid PNG whose header (IHDR) claims <paramref name="width"/>×<paramref name="height"/>:
    /// costs nothing to make, and anything that trusted the header to decode would blow up.
    /// </summary>
    public static byte[] PngClaiming(int width, int height)
    {
        var png = Png(8, 8);

        // IHDR is the first chunk: 8 signature bytes, 4 length, 4 type, then width and height, then its CRC.
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        return png;
    }

    /// <summary>The first half of a real JPEG: a valid header, then the data just stops.</summary>
    public static byte[] TruncatedJpeg()
    {
        var jpeg = Jpeg(1200, 900);
        return jpeg[..(jpeg.Length / 2)];
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
