using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using NetVips;
using Scalegram.Imaging;
using Scalegram.Storage;

namespace Scalegram.Benchmarks;

/// <summary>
/// The blob store's share of one upload, local disk (baseline) against S3 on a real Swift server
/// (deploy/swift/start.sh, started here): store the original (web), read it back and store the three
/// variants (worker). Same bytes, same run; the Ratio column is the figure.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class BlobStoreBenchmarks
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "scalegram-bench-blobs-" + Guid.NewGuid().ToString("N")[..12]);
    private byte[] _original = [];
    private List<(string Name, byte[] Bytes)> _variants = [];
    private IBlobStore _store = null!;
    private BenchSwift? _swift;
    private int _upload;

    [GlobalSetup(Target = nameof(Local))]
    public void SetupLocal()
    {
        MakePhoto();
        _store = new LocalBlobStore(_dir);
    }

    [GlobalSetup(Target = nameof(S3))]
    public void SetupS3()
    {
        MakePhoto();
        _swift = new BenchSwift();
        var s3 = new S3BlobStore(_swift.Options("bench"), NullLogger.Instance);
        s3.EnsureBucketAsync(CancellationToken.None).GetAwaiter().GetResult();
        _store = s3;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        (_store as IDisposable)?.Dispose();
        _swift?.Dispose();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Benchmark(Baseline = true)]
    public Task<long> Local() => OneUploadAsync();

    [Benchmark]
    public Task<long> S3() => OneUploadAsync();

    private async Task<long> OneUploadAsync()
    {
        var n = Interlocked.Increment(ref _upload);
        await _store.PutAsync($"originals/{n}-0123456789abcdef0123.jpg", new MemoryStream(_original, writable: false));
        long read;
        await using (var original = await _store.OpenReadAsync($"originals/{n}-0123456789abcdef0123.jpg") ?? throw new InvalidOperationException("lost"))
        {
            var copy = new MemoryStream();
            await original.CopyToAsync(copy);
            read = copy.Length;
        }

        foreach (var (name, bytes) in _variants)
        {
            await _store.PutAsync($"p/{n}/{name}-0123456789abcdef0123.jpg", new MemoryStream(bytes, writable: false));
        }

        return read;
    }

    /// <summary>A 12-megapixel camera photo's worth of JPEG and its real variants.</summary>
    private void MakePhoto()
    {
        using var noise = Image.Gaussnoise(4000, 3000, mean: 128, sigma: 20);
        using var rgb = noise.Bandjoin(noise, noise).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        using var smooth = rgb.Gaussblur(2);
        _original = smooth.JpegsaveBuffer(q: 85);
        using var working = DecodeStage.Decode(_original);
        _variants = [.. VariantSpec.All.Select(spec => (spec.Name, EncodeStage.Encode(ResizeStage.Resize(working, spec), spec, 85).Bytes))];
        Console.WriteLine($"// original {_original.Length} bytes; variants {string.Join(", ", _variants.Select(v => $"{v.Name} {v.Bytes.Length}"))}");
    }
}
