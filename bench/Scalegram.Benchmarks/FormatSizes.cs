using System.Diagnostics;
using System.Globalization;
using NetVips;
using Scalegram.Imaging;
using Scalegram.Photos;

namespace Scalegram.Benchmarks;

/// <summary>
/// Bytes per variant in JPEG, WebP and AVIF with the worker's own settings (PhotoOptions defaults), for a
/// set of generated 12-megapixel images, plus the encode time each format adds and the placeholder's size.
/// Run: dotnet run -c Release --project bench/Scalegram.Benchmarks -- formats
/// </summary>
internal static class FormatSizes
{
    public static void Run()
    {
        var options = new PhotoOptions();
        var formats = ModernFormats.Choose(options.FormatNames, options.WebpQuality, options.AvifQuality, options.AvifEffort);
        Console.WriteLine($"libvips {NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)} (NetVips.Native); AVIF encode: {HeifSupport.CanEncodeAvif}, HEIC decode: {HeifSupport.CanDecodeHeic}");
        Console.WriteLine($"JPEG q{options.JpegQuality}, WebP q{options.WebpQuality}, AVIF q{options.AvifQuality} effort {options.AvifEffort}; sources 4000×3000, variants from the 2160 px working image");
        Console.WriteLine();
        Console.WriteLine("| image | variant | JPEG bytes | WebP bytes | WebP/JPEG | AVIF bytes | AVIF/JPEG |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        var totals = new Dictionary<string, long>();
        var seconds = new Dictionary<string, double>();
        var placeholders = new List<int>();
        foreach (var (name, make) in Images())
        {
            using var source = make();
            var jpeg = source.JpegsaveBuffer(q: 92);
            using var working = DecodeStage.Decode(jpeg);
            foreach (var spec in VariantSpec.All)
            {
                // Timed apart, so each format's own encode cost shows (the resize is counted once, with JPEG).
                var started = Stopwatch.GetTimestamp();
                var plain = EncodeStage.Encode(working, spec, options.JpegQuality);
                Add(seconds, "image/jpeg", Stopwatch.GetElapsedTime(started).TotalSeconds);
                var sizes = new Dictionary<string, long> { ["image/jpeg"] = plain.Bytes.Length };
                using var resized = spec.Square
                    ? working.ThumbnailImage(spec.Size, height: spec.Size, crop: Enums.Interesting.Centre, size: Enums.Size.Both)
                    : working.ThumbnailImage(spec.Size, height: spec.Size, size: Enums.Size.Down);
                using var ready = resized.CopyMemory();
                foreach (var format in formats)
                {
                    started = Stopwatch.GetTimestamp();
                    var encoded = ModernFormats.Encode(ready, [format], CancellationToken.None)[0];
                    Add(seconds, format.MediaType, Stopwatch.GetElapsedTime(started).TotalSeconds);
                    sizes[format.MediaType] = encoded.Bytes.Length;
                }

                foreach (var (type, bytes) in sizes)
                {
                    totals[type] = totals.GetValueOrDefault(type) + bytes;
                }

                if (spec == VariantSpec.Medium)
                {
                    placeholders.Add(Placeholder.FromVariant(plain.Bytes)!.Length);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {spec.Name} {plain.Width}×{plain.Height} | {sizes["image/jpeg"]:N0} | {Cell(sizes, "image/webp")} | {Ratio(sizes, "image/webp")} | {Cell(sizes, "image/avif")} | {Ratio(sizes, "image/avif")} |"));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| **all** | | **{totals["image/jpeg"]:N0}** | **{Cell(totals, "image/webp")}** | **{Ratio(totals, "image/webp")}** | **{Cell(totals, "image/avif")}** | **{Ratio(totals, "image/avif")}** |"));
        Console.WriteLine();
        Console.WriteLine("Encode wall time per photo (three variants; libvips' own threads), same run:");
        foreach (var (type, total) in seconds)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {type,-11} {total * 1000 / Images().Count(),7:0} ms   ({total / seconds["image/jpeg"]:0.0}× JPEG)"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Placeholder data: URL: {placeholders.Min()}–{placeholders.Max()} characters"));
    }

    private static void Add(Dictionary<string, double> to, string key, double value) => to[key] = to.GetValueOrDefault(key) + value;

    private static string Cell(Dictionary<string, long> sizes, string type) =>
        sizes.TryGetValue(type, out var b) ? b.ToString("N0", CultureInfo.InvariantCulture) : "–";

    private static string Ratio(Dictionary<string, long> sizes, string type) =>
        sizes.TryGetValue(type, out var b) ? ((double)b / sizes["image/jpeg"]).ToString("0.00", CultureInfo.InvariantCulture) : "–";

    /// <summary>Generated stand-ins for photos: smooth sky, natural texture, cells with edges, and sensor-like grain.</summary>
    private static IEnumerable<(string Name, Func<Image> Make)> Images()
    {
        const int w = 4000, h = 3000;
        yield return ("smooth gradient (sky)", () => Srgb(Gradient(w, h)));
        yield return ("perlin texture (foliage)", () => Srgb(Perlin(w, h, 3)));
        yield return ("worley cells (pebbles)", () =>
        {
            using var cells = Image.Worley(w, h, cellSize: 180, seed: 7);
            using var scaled = cells.Linear([1.6], [10.0]);
            using var gradient = Gradient(w, h);
            using var mixed = gradient * 0.6 + scaled.Bandjoin(scaled, scaled) * 0.4;
            return Srgb(mixed);
        }
        );
        yield return ("texture + grain (photo-like)", () =>
        {
            using var texture = Perlin(w, h, 11);
            using var gradient = Gradient(w, h);
            using var noise = Image.Gaussnoise(w, h, mean: 0, sigma: 6);
            using var mixed = texture * 0.5 + gradient * 0.5 + noise.Bandjoin(noise, noise);
            return Srgb(mixed);
        }
        );
    }

    private static Image Gradient(int w, int h)
    {
        using var xy = Image.Xyz(w, h);
        using var scaled = xy.Linear([255.0 / w, 255.0 / h], [0.0, 0.0]);
        using var third = scaled[0].Linear([-0.5], [200.0]);
        return scaled.Bandjoin(third);
    }

    private static Image Perlin(int w, int h, int seed)
    {
        using var r = Image.Perlin(w, h, cellSize: 256, uchar: true, seed: seed);
        using var g = Image.Perlin(w, h, cellSize: 64, uchar: true, seed: seed + 1);
        using var b = Image.Perlin(w, h, cellSize: 16, uchar: true, seed: seed + 2);
        return r.Bandjoin(g, b);
    }

    private static Image Srgb(Image image)
    {
        using var clamped = image.Cast(Enums.BandFormat.Uchar);
        return clamped.Copy(interpretation: Enums.Interpretation.Srgb).CopyMemory();
    }
}
