using System.Diagnostics;

namespace Scalegram.Imaging;

/// <summary>
/// The worker's render, from the original's bytes to the encoded variants: probe, decode (once, straight
/// to the largest variant's size), crop, filter, resize, encode. The worker and the imaging benchmark run this same code.
/// </summary>
internal static class PhotoRenderer
{
    /// <summary>Reads the header: size, orientation, decode memory; refuses an image over <paramref name="maxPixels"/>.</summary>
    public static ImageHeader Probe(byte[] original, long maxPixels, Action<string, TimeSpan>? onStage, CancellationToken ct) =>
        Timed("probe", () => ImageProbe.Probe(original, maxPixels), onStage, ct);

    /// <summary>Probes, then renders (no memory gate: for the benchmark and callers that bound renders themselves).</summary>
    public static IReadOnlyList<EncodedVariant> Render(byte[] original, CropRect? crop, string filter, RenderSettings settings, Action<string, TimeSpan>? onStage, CancellationToken ct) =>
        Render(original, Probe(original, settings.MaxPixels, onStage, ct), crop, filter, settings, onStage, ct);

    /// <summary>
    /// CPU-bound and synchronous, so cancellation is checked before every stage, and decode, resize and
    /// encode are stopped inside libvips too; a cancelled render throws <see cref="OperationCanceledException"/>.
    /// <paramref name="onStage"/> hears each finished stage and its duration.
    /// </summary>
    public static IReadOnlyList<EncodedVariant> Render(byte[] original, ImageHeader header, CropRect? crop, string filter, RenderSettings settings, Action<string, TimeSpan>? onStage, CancellationToken ct)
    {
        using var working = Timed("decode", () => DecodeStage.Decode(original, DecodeStage.SizeFor(crop, header), header.ConvertToSrgb, ct), onStage, ct);
        using var cropped = Timed("crop", () => CropStage.Apply(working, crop, header), onStage, ct);
        using var filtered = Timed("filter", () => FilterStage.Apply(cropped, filter, ct), onStage, ct);
        var resized = Timed("resize", () => VariantSpec.All.Select(spec => ResizeStage.Resize(filtered, spec, ct)).ToList(), onStage, ct);
        try
        {
            var jpegs = Timed("encode", () => VariantSpec.All.Select((spec, i) => EncodeStage.Encode(resized[i], spec, settings.JpegQuality, ct)).ToList(), onStage, ct);
            if (settings.Alternates is not { Count: > 0 } alternates)
            {
                return jpegs;
            }

            // Timed apart: WebP and (above all) AVIF cost more than the JPEG itself (docs/photo-pipeline.md).
            return Timed("encode-modern", () => jpegs.Select((v, i) => v with { Alternates = ModernFormats.Encode(resized[i], alternates, ct) }).ToList(), onStage, ct);
        }
        finally
        {
            resized.ForEach(r => r.Dispose());
        }
    }

    private static T Timed<T>(string stage, Func<T> run, Action<string, TimeSpan>? onStage, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        try
        {
            return run();
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is NetVips.VipsException or ImageRejected)
        {
            // Stopped part-way, so it may look like a corrupt image: it is not, and the job must be abandoned, not failed.
            throw new OperationCanceledException($"Image processing was cancelled ({stage}).", e, ct);
        }
        catch (NetVips.VipsException e)
        {
            throw new ImageRejected($"The image could not be processed ({stage}): the file is truncated or corrupt. {e.Message.Split('\n')[0]}");
        }
        finally
        {
            onStage?.Invoke(stage, Stopwatch.GetElapsedTime(started));
        }
    }
}

/// <summary>The limits and encode settings a render runs with; <paramref name="Alternates"/> are the formats made beside each JPEG.</summary>
internal sealed record RenderSettings(long MaxPixels, int JpegQuality, IReadOnlyList<AlternateFormat>? Alternates = null);
