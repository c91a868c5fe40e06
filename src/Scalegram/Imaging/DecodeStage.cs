using NetVips;

namespace Scalegram.Imaging;

/// <summary>
/// Decodes the original straight to the working size — the largest variant's, or what a crop needs —
/// using shrink-on-load (a JPEG is decoded at 1/2, 1/4 or 1/8 scale), with EXIF orientation applied and
/// colour converted to sRGB from any embedded ICC profile (CMYK included). One decode feeds every variant.
/// </summary>
internal static class DecodeStage
{
    /// <summary>The working size with no crop: the largest variant, so it is encoded as decoded.</summary>
    public static readonly int WorkingSize = VariantSpec.All.Max(v => v.Size);

    /// <summary>Decodes <paramref name="original"/> to fit <see cref="WorkingSize"/>.</summary>
    public static Image Decode(byte[] original, CancellationToken ct = default) => Decode(original, WorkingSize, convertToSrgb: true, ct);

    /// <summary>
    /// Decodes <paramref name="original"/> to fit a <paramref name="size"/> box, through its embedded colour
    /// profile into sRGB when <paramref name="convertToSrgb"/> (that import doubles the decode's CPU time,
    /// so untagged and sRGB images skip it); a cancelled <paramref name="ct"/> stops the decode part-way (<see cref="OperationCanceledException"/>).
    /// </summary>
    public static Image Decode(byte[] original, int size, bool convertToSrgb, CancellationToken ct)
    {
        try
        {
            // fail_on goes to the loader through the option string: thumbnail's own failOn argument
            // does not reach it, and a truncated file would then decode "fine" with grey padding.
            // output_profile: an embedded profile (Adobe RGB, Display P3, CMYK) is applied, not dropped with the metadata.
            using var image = Image.ThumbnailBuffer(original, size, height: size, size: Enums.Size.Down, outputProfile: convertToSrgb ? "srgb" : null, optionString: "fail_on=error");

            // Force the decode now, once, into a small in-memory image every variant is made from, so a
            // truncated or corrupt file fails here, not half-way through encoding.
            return VipsCancellation.Compute(image, i => i.CopyMemory(), ct);
        }
        catch (VipsException) when (!ct.IsCancellationRequested)
        {
            throw new ImageRejected("The image could not be decoded: the file is truncated or corrupt.");
        }
    }

    /// <summary>
    /// The box to decode into so a crop of the original still fills the largest variant (and the
    /// square thumbnail's short side), never more than the original.
    /// </summary>
    public static int SizeFor(CropRect? crop, ImageHeader header)
    {
        if (crop is not { } c)
        {
            return WorkingSize;
        }

        var largest = VariantSpec.All.Where(v => !v.Square).Max(v => v.Size);
        var square = VariantSpec.All.Where(v => v.Square).Select(v => v.Size).DefaultIfEmpty(0).Max();
        var scale = Math.Min(1.0, Math.Max((double)largest / Math.Max(c.Width, c.Height), (double)square / Math.Min(c.Width, c.Height)));
        return (int)Math.Ceiling(Math.Max(header.DisplayWidth, header.DisplayHeight) * scale);
    }
}
