using NetVips;

namespace Scalegram.Imaging;

/// <summary>Resizes the filtered image to each variant and re-encodes it as JPEG (and the <see cref="ModernFormats"/> asked for) with every piece of metadata stripped.</summary>
internal static class EncodeStage
{
    /// <summary>Makes one variant; a cancelled <paramref name="ct"/> stops the resize and encode part-way (<see cref="OperationCanceledException"/>).</summary>
    public static EncodedVariant Encode(Image filtered, VariantSpec spec, int quality, CancellationToken ct = default, IReadOnlyList<AlternateFormat>? alternates = null)
    {
        using var resized = spec.Square
            ? filtered.ThumbnailImage(spec.Size, height: spec.Size, crop: Enums.Interesting.Centre, size: Enums.Size.Both)
            : filtered.ThumbnailImage(spec.Size, height: spec.Size, size: Enums.Size.Down);
        var bytes = VipsCancellation.Compute(resized, r => r.JpegsaveBuffer(q: quality, optimizeCoding: true, interlace: true, keep: Enums.ForeignKeep.None), ct);
        return new EncodedVariant(spec.Name, resized.Width, resized.Height, bytes, ModernFormats.Encode(resized, alternates, ct));
    }
}

/// <summary>One finished variant, ready to store.</summary>
internal sealed record EncodedVariant(string Name, int Width, int Height, byte[] Bytes, IReadOnlyList<EncodedAlternate>? Alternates = null);
