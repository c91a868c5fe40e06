using NetVips;

namespace Scalegram.Imaging;

/// <summary>
/// Decodes the original into a working image at most twice the largest variant, using
/// shrink-on-load, with EXIF orientation applied. Memory stays bounded whatever the input.
/// </summary>
internal static class DecodeStage
{
    public const int WorkingSize = 2160;

    /// <summary>Decodes <paramref name="original"/>; a cancelled <paramref name="ct"/> stops the decode part-way (<see cref="OperationCanceledException"/>).</summary>
    public static Image Decode(byte[] original, CancellationToken ct = default)
    {
        try
        {
            // fail_on goes to the loader through the option string: thumbnail's own failOn argument
            // does not reach it, and a truncated file would then decode "fine" with grey padding.
            using var image = Image.ThumbnailBuffer(original, WorkingSize, height: WorkingSize, size: Enums.Size.Down, optionString: "fail_on=error");

            // Force the decode now so a truncated or corrupt file fails here, not half-way through encoding.
            return VipsCancellation.Compute(image, i => i.CopyMemory(), ct);
        }
        catch (VipsException)
        {
            throw new ImageRejected("The image could not be decoded: the file is truncated or corrupt.");
        }
    }
}
