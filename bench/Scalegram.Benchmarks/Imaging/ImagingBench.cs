using System.Diagnostics;
using System.Globalization;
using Scalegram.Imaging;

namespace Scalegram.Benchmarks.Imaging;

/// <summary>
/// `imaging` modes of the benchmarks console, driven by bench/imaging/run.sh; each prints one line of
/// key=value figures for the script's table. One mode per process, so peak RSS is that mode's own.
/// </summary>
internal static class ImagingBench
{
    private static RenderSettings Settings = new(MaxPixels: 50_000_000, JpegQuality: 82);

    public static int Run(string[] args)
    {
        var mode = args.ElementAtOrDefault(0) ?? "";
        if (mode == "version")
        {
            Console.WriteLine(FormattableString.Invariant($"{NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}"));
            return 0;
        }

        var dir = Arg(args, "--dir") ?? throw new ArgumentException("--dir is required");
        ImagingTier.ConfigureLibvips(new ImagingOptions());

        // --formats avif,webp: also the formats the worker makes beside each JPEG by default (Photos:Formats), with its default settings.
        var formats = Arg(args, "--formats");
        var label = "";
        if (formats is not null)
        {
            var defaults = new Photos.PhotoOptions();
            Settings = Settings with { Alternates = ModernFormats.Choose(formats.Split(','), defaults.WebpQuality, defaults.AvifQuality, defaults.AvifEffort) };
            label = "_" + formats.Replace(',', '_');
        }

        switch (mode)
        {
            case "generate":
                BenchImages.Generate(dir, int.Parse(Arg(args, "--count") ?? "24", CultureInfo.InvariantCulture));
                return 0;
            case "render":
                Render(Load(dir), int.Parse(Arg(args, "--parallel") ?? Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), int.Parse(Arg(args, "--rounds") ?? "1", CultureInfo.InvariantCulture), label);
                return 0;
            case "stages":
                Stages(Load(dir), label);
                return 0;
            case "e2e":
                return EndToEnd.RunAsync(
                    Load(dir),
                    int.Parse(Arg(args, "--count") ?? "200", CultureInfo.InvariantCulture),
                    new Uri(Arg(args, "--url") ?? throw new ArgumentException("--url is required")),
                    int.Parse(Arg(args, "--pid") ?? throw new ArgumentException("--pid is required"), CultureInfo.InvariantCulture)).GetAwaiter().GetResult();
            default:
                Console.Error.WriteLine("usage: imaging generate|render|stages|e2e --dir DIR [--count N] [--parallel P] [--rounds R] [--formats avif,webp] [--url NODE --pid NODE_PID]");
                return 2;
        }
    }

    private static string? Arg(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    private static List<byte[]> Load(string dir) => [.. Directory.GetFiles(dir, "*.jpg").Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];

    /// <summary>The worker's render in process (no queue, no database, no store), P photos at a time.</summary>
    private static void Render(List<byte[]> photos, int parallel, int rounds, string label)
    {
        _ = PhotoRenderer.Render(photos[0], null, Filters.None, Settings, null, CancellationToken.None);
        var work = new System.Collections.Concurrent.ConcurrentQueue<byte[]>(Enumerable.Repeat(photos, rounds).SelectMany(p => p));
        var total = work.Count;
        long bytesOut = 0;
        var cpu = ProcessMeter.Cpu();
        var started = Stopwatch.GetTimestamp();
        var threads = Enumerable.Range(0, parallel).Select(_ => new Thread(() =>
        {
            while (work.TryDequeue(out var photo))
            {
                var variants = PhotoRenderer.Render(photo, null, Filters.None, Settings, null, CancellationToken.None);
                Interlocked.Add(ref bytesOut, variants.Sum(v => v.Bytes.Length + (v.Alternates?.Sum(a => (long)a.Bytes.Length) ?? 0)));
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuSeconds = (ProcessMeter.Cpu() - cpu).TotalSeconds;
        Console.WriteLine(FormattableString.Invariant($"mode=render{label} photos={total} parallel={parallel} wall={wall:0.000} cpu={cpuSeconds:0.000} out_kb={bytesOut / 1024 / total} peak_rss_mb={ProcessMeter.PeakRssMb():0}"));
    }

    /// <summary>
    /// Where the time goes: one photo at a time, each stage's share of the process's CPU time (libvips'
    /// threads included), taken between the stage callbacks of the real render.
    /// </summary>
    private static void Stages(List<byte[]> photos, string label)
    {
        var cpu = new Dictionary<string, double>();
        var wall = new Dictionary<string, double>();
        var last = TimeSpan.Zero;
        _ = PhotoRenderer.Render(photos[0], null, Filters.None, Settings, null, CancellationToken.None);
        foreach (var photo in photos)
        {
            last = ProcessMeter.Cpu();
            _ = PhotoRenderer.Render(photo, null, Filters.None, Settings, (stage, elapsed) =>
            {
                var now = ProcessMeter.Cpu();
                cpu[stage] = cpu.GetValueOrDefault(stage) + (now - last).TotalMilliseconds;
                wall[stage] = wall.GetValueOrDefault(stage) + elapsed.TotalMilliseconds;
                last = now;
            }, CancellationToken.None);
        }

        Console.WriteLine($"mode=stages{label} " + string.Join(' ', cpu.Keys.Select(s => FormattableString.Invariant($"{s}={cpu[s] / photos.Count:0.0}/{wall[s] / photos.Count:0.0}"))));
    }
}
