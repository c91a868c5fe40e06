using System.Diagnostics;
using NetVips;
using Scalegram.Imaging;

namespace Scalegram.Benchmarks;

/// <summary>
/// What the upload-time placeholder costs the web node per upload, against a full decode of the same file
/// (what it would cost without shrink-on-load), on generated 12-megapixel originals.
/// Run: dotnet run -c Release --project bench/Scalegram.Benchmarks -- placeholder
/// </summary>
internal static class UploadPlaceholderBench
{
    private const int Runs = 9;

    public static void Run()
    {
        // As on the nodes (ImagingTier): no operation cache, or every run after the first would be a cache hit.
        NetVips.Cache.Max = 0;
        NetVips.Cache.MaxMem = 0;
        NetVips.Cache.MaxFiles = 0;
        Console.WriteLine($"libvips {NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}; median of {Runs} runs after a warm-up, one thread");
        Console.WriteLine("| original | bytes | placeholder ms | full decode ms | ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        using var noise = Image.Gaussnoise(4000, 3000, mean: 128, sigma: 40);
        using var rgb = noise.Bandjoin(noise.Rot180(), noise.Flip(Enums.Direction.Horizontal)).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        using var smooth = rgb.Gaussblur(6);
        using var small = smooth.ThumbnailImage(1600, height: 1200);
        var cases = new (string Name, ImageFormat Format, byte[] Bytes)[]
        {
            ("JPEG 4000×3000 baseline q92", ImageFormat.Jpeg, smooth.JpegsaveBuffer(q: 92)),
            ("JPEG 4000×3000 progressive q92", ImageFormat.Jpeg, smooth.JpegsaveBuffer(q: 92, interlace: true)),
            ("JPEG 1600×1200 progressive q92", ImageFormat.Jpeg, small.JpegsaveBuffer(q: 92, interlace: true)),
            ("WebP 4000×3000 q80", ImageFormat.Webp, smooth.WebpsaveBuffer(q: 80)),
            ("PNG 1600×1200 ", ImageFormat.Png, small.PngsaveBuffer()),
        };
        var path = Path.Combine(Path.GetTempPath(), $"scalegram-bench-{Guid.NewGuid():N}");
        try
        {
            foreach (var (name, format, bytes) in cases)
            {
                File.WriteAllBytes(path, bytes);
                var header = ImageProbe.Probe(path, 100_000_000);
                var made = Placeholder.FromOriginal(path, format, header, crop: null, CancellationToken.None) is not null;
                var placeholder = Median(() => Placeholder.FromOriginal(path, format, header, crop: null, CancellationToken.None));
                var decode = Median(() =>
                {
                    using var full = Image.NewFromFile(path, access: Enums.Access.Sequential);
                    return full.Avg();
                });
                Console.WriteLine($"| {name} | {bytes.Length:N0} | {placeholder:0.0}{(made ? "" : " (skipped)")} | {decode:0.0} | {placeholder / decode:0.00} |");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double Median<T>(Func<T> work)
    {
        work();
        var times = new double[Runs];
        for (var i = 0; i < Runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            work();
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(times);
        return times[Runs / 2];
    }
}
