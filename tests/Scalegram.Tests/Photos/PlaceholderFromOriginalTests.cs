using NetVips;
using Scalegram.Imaging;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Photos;

/// <summary>The upload-time placeholder: made when cheap, skipped when not, never an error, stopped by cancellation.</summary>
public sealed class PlaceholderFromOriginalTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"scalegram-ph-{Guid.NewGuid():N}");

    public void Dispose() => File.Delete(_path);

    private ImageHeader Write(byte[] bytes)
    {
        File.WriteAllBytes(_path, bytes);
        return ImageProbe.Probe(_path, 100_000_000);
    }

    [Fact]
    public void A_jpeg_gets_a_webp_data_url()
    {
        var header = Write(TestImages.Jpeg(4000, 3000));
        Assert.StartsWith(Placeholder.Prefix, Placeholder.FromOriginal(_path, ImageFormat.Jpeg, header, crop: null, CancellationToken.None), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cancelled_upload_stops_it()
    {
        var header = Write(TestImages.Jpeg(4000, 3000));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Placeholder.FromOriginal(_path, ImageFormat.Jpeg, header, crop: null, cancelled.Token));
    }

    [Fact]
    public void Formats_that_would_need_a_full_decode_are_skipped()
    {
        var avif = Write(TestImages.Avif(64, 48));
        Assert.Null(Placeholder.FromOriginal(_path, ImageFormat.Avif, avif, crop: null, CancellationToken.None));
        var bigPng = Write(TestImages.FlatPng(2000, 1500));
        Assert.Null(Placeholder.FromOriginal(_path, ImageFormat.Png, bigPng, crop: null, CancellationToken.None));
        using var gradient = TestImages.Gradient(2000, 1500);
        var progressive = Write(gradient.JpegsaveBuffer(interlace: true));
        Assert.True(progressive.Whole);
        Assert.Null(Placeholder.FromOriginal(_path, ImageFormat.Jpeg, progressive, crop: null, CancellationToken.None));
    }

    [Fact]
    public void Pixels_that_do_not_decode_give_null_not_an_error()
    {
        var header = Write(TestImages.Jpeg(800, 600));
        File.WriteAllBytes(_path, [.. File.ReadAllBytes(_path).AsSpan(0, 400)]); // the header probed fine; the file then lost its data
        var placeholder = Placeholder.FromOriginal(_path, ImageFormat.Jpeg, header, crop: null, CancellationToken.None);
        Assert.True(placeholder is null || placeholder.StartsWith(Placeholder.Prefix, StringComparison.Ordinal));
    }
}
