using NetVips;

namespace Scalegram.Benchmarks.Imaging;

/// <summary>
/// The bench's photos, made with libvips: 12-megapixel (4000×3000) camera-like JPEGs at q90, 4:2:0 —
/// coloured, blurred noise over a gradient, so they compress like photos (a few MB each), not like flat
/// colour. One is progressive and one carries EXIF orientation 6 (stored on its side).
/// </summary>
internal static class BenchImages
{
    public static void Generate(string dir, int count, int width = 4000, int height = 3000)
    {
        Directory.CreateDirectory(dir);
        for (var i = 0; i < count; i++)
        {
            using var r = Image.Gaussnoise(width, height, mean: 128, sigma: 40, seed: (3 * i) + 1);
            using var g = Image.Gaussnoise(width, height, mean: 110, sigma: 40, seed: (3 * i) + 2);
            using var b = Image.Gaussnoise(width, height, mean: 90, sigma: 40, seed: (3 * i) + 3);
            using var noise = r.Bandjoin(g, b);
            using var soft = noise.Gaussblur(1.5);
            using var xy = Image.Xyz(width, height);
            using var ramp = xy[0].Linear([60.0 / width], [-30.0]);
            using var lit = soft.Add(ramp);
            using var rgb = lit.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
            var progressive = i == 0;
            using var tagged = i == 1 ? rgb.Mutate(m => m.Set(GValue.GIntType, "orientation", 6)) : rgb.Copy();
            var name = progressive ? $"photo{i:000}-progressive.jpg" : i == 1 ? $"photo{i:000}-rotated.jpg" : $"photo{i:000}.jpg";
            tagged.Jpegsave(Path.Combine(dir, name), q: 90, interlace: progressive, keep: Enums.ForeignKeep.All);
        }
    }
}
