using NetVips;

namespace Scalegram.Imaging;

/// <summary>Makes one variant's pixels from the decoded working image: the square thumbnail is a centre crop, the others fit their box.</summary>
internal static class ResizeStage
{
    /// <summary>An in-memory image of the variant's size; the working image itself when it already fits (no copy).</summary>
    public static Image Resize(Image working, VariantSpec spec, CancellationToken ct = default)
    {
        if (!spec.Square && working.Width <= spec.Size && working.Height <= spec.Size)
        {
            return working;
        }

        using var resized = spec.Square
            ? working.ThumbnailImage(spec.Size, height: spec.Size, crop: Enums.Interesting.Centre, size: Enums.Size.Both)
            : working.ThumbnailImage(spec.Size, height: spec.Size, size: Enums.Size.Down);
        return VipsCancellation.Compute(resized, r => r.CopyMemory(), ct);
    }
}
