using NetVips;

namespace Scalegram.Imaging;

/// <summary>
/// Lets a cancellation token stop libvips in the middle of computing an image, not only between
/// stages: libvips reports progress once per work unit (a tile or a few scanlines) on an image
/// with progress enabled, and NetVips sets the image's kill flag there once the token is
/// cancelled, so the running operation fails at its next work unit.
/// </summary>
internal static class VipsCancellation
{
    /// <summary>
    /// Runs <paramref name="compute"/>, which evaluates <paramref name="image"/> (a save, a copy to
    /// memory); throws <see cref="OperationCanceledException"/> if <paramref name="ct"/> is cancelled
    /// before or while it runs.
    /// </summary>
    public static T Compute<T>(Image image, Func<Image, T> compute, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (!ct.CanBeCanceled)
        {
            return compute(image);
        }

        image.SetProgress(NoProgress.Instance, ct);
        try
        {
            return compute(image);
        }
        catch (VipsException e) when (ct.IsCancellationRequested)
        {
            // Killed (or failed while being killed): the caller stopped, the image is not at fault.
            throw new OperationCanceledException("Image processing was cancelled.", e, ct);
        }
    }

    /// <summary>Progress is only the hook for the kill flag here; nobody watches the percentage.</summary>
    private sealed class NoProgress : IProgress<int>
    {
        public static readonly NoProgress Instance = new();

        public void Report(int value)
        {
        }
    }
}
