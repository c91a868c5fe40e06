using NetVips;

namespace Scalegram.Bench.Workloads;

/// <summary>Real JPEGs made at start with libvips: noisy colour fields the size of a downscaled phone photo.</summary>
internal static class SampleJpegs
{
    public static IReadOnlyList<byte[]> Make(int count, int width = 1280, int height = 960)
    {
        var images = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            // Noise keeps the JPEG a realistic size (a flat colour would compress to almost nothing).
            using var noise = Image.Gaussnoise(width, height, mean: 128, sigma: 30);
            using var x = Image.Xyz(width, height);
            using var xBand = x[0];
            using var yBand = x[1];
            using var red = xBand * (255.0 / width) + (i * 37 % 255);
            using var green = yBand * (255.0 / height);
            using var blue = (noise * 0.5) + (i * 59 % 128);
            using var joined = red.Bandjoin(green, blue);
            using var mixed = (joined * 0.8) + (noise * 0.2);
            using var rgb = mixed.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
            images.Add(rgb.JpegsaveBuffer(q: 85));
        }

        return images;
    }
}
