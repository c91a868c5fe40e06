using BenchmarkDotNet.Attributes;
using NetVips;
using Scalegram.Imaging;
using Scalegram.Photos;
using Scalegram.Workers.PhotoPipeline;

namespace Scalegram.Benchmarks;

/// <summary>The photo pipeline's CPU work per upload: decode, filter, and resize + encode each variant.</summary>
[MemoryDiagnoser]
public class VariantBenchmarks
{
    private byte[] _jpeg = [];
    private Image _working = null!;

    [Params(1280, 4000)]
    public int Width { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var height = Width * 3 / 4;
        using var noise = Image.Gaussnoise(Width, height, mean: 128, sigma: 40);
        using var rgb = noise.Bandjoin(noise, noise).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        _jpeg = rgb.JpegsaveBuffer(q: 90);
        _working = DecodeStage.Decode(_jpeg);
    }

    [GlobalCleanup]
    public void Cleanup() => _working.Dispose();

    [Benchmark]
    public int Decode()
    {
        using var image = DecodeStage.Decode(_jpeg);
        return image.Width;
    }

    [Benchmark]
    public int FilterVivid()
    {
        using var filtered = FilterStage.Apply(_working, Filters.Vivid);
        using var memory = filtered.CopyMemory();
        return memory.Width;
    }

    [Benchmark]
    public int EncodeAllVariants() => VariantSpec.All.Sum(spec => EncodeStage.Encode(ResizeStage.Resize(_working, spec), spec, 85).Bytes.Length);
}
