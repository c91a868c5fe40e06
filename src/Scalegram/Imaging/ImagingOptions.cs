using System.ComponentModel.DataAnnotations;

namespace Scalegram.Imaging;

/// <summary>libvips and render limits of a process (section "Imaging"): what bounds a worker's CPU, memory and time per photo.</summary>
internal sealed class ImagingOptions
{
    public const string Section = "Imaging";

    /// <summary>Renders running at once in this process; more photo jobs wait their turn (each render already keeps a core busy).</summary>
    [Range(1, 64, ErrorMessage = "Imaging:MaxConcurrentRenders must be between 1 and 64.")]
    public int MaxConcurrentRenders { get; set; } = Environment.ProcessorCount;

    /// <summary>libvips worker threads per operation; 1 is the most work per CPU second when renders already run in parallel.</summary>
    [Range(1, 64, ErrorMessage = "Imaging:VipsConcurrency must be between 1 and 64.")]
    public int VipsConcurrency { get; set; } = 1;

    /// <summary>
    /// Decode memory, in MiB, all renders in flight may hold together (a progressive JPEG keeps every
    /// coefficient, an interlaced PNG every pixel); a photo that needs more than all of it fails with a reason.
    /// </summary>
    [Range(16, 65536, ErrorMessage = "Imaging:MaxDecodeMemoryMiB must be between 16 and 65536.")]
    public int MaxDecodeMemoryMiB { get; set; } = 128;

    /// <summary>The longest one photo may take to render; past it the photo fails with a reason instead of holding a worker.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "Imaging:RenderTimeout must be between 1 ms and 1 h.")]
    public TimeSpan RenderTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
