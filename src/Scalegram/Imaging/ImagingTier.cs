using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace Scalegram.Imaging;

/// <summary>Sets up libvips (NetVips) for the upload probe and the photo pipeline.</summary>
internal static class ImagingTier
{
    public static IServiceCollection AddImagingTier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ImagingOptions>().Bind(configuration.GetSection(ImagingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RenderGate>();
        services.AddHostedService<LibvipsSetup>();
        ConfigureLibvips(new ImagingOptions());
        return services;
    }

    /// <summary>Process-wide libvips settings; called again with the validated options at start.</summary>
    public static void ConfigureLibvips(ImagingOptions options)
    {
        // No operation cache: every image is processed once, and a cache would only hold memory.
        NetVips.Cache.Max = 0;
        NetVips.Cache.MaxMem = 0;
        NetVips.Cache.MaxFiles = 0;
        NetVips.NetVips.Concurrency = options.VipsConcurrency;
        LimitMallocArenas();
    }

    /// <summary>
    /// glibc gives each thread that allocates its own arena and, after a large free, raises the mmap
    /// threshold so later large buffers come from (and fragment) those arenas: RSS creeps up with every
    /// decode. Two arenas and a fixed threshold make large pixel buffers go back to the OS when freed.
    /// </summary>
    private static void LimitMallocArenas()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = Mallopt(MArenaMax, 2);
            _ = Mallopt(MMmapThreshold, 1 << 20);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl, say): its allocator has no arenas to limit.
        }
    }

    /// <summary>
    /// Gives memory libvips freed back to the OS (glibc keeps freed pages of its arenas otherwise, and a
    /// worker's RSS would ratchet up to its worst moment); a few hundred microseconds, called after each render.
    /// </summary>
    public static void ReturnFreedMemory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: nothing to trim.
        }
    }

    private const int MMmapThreshold = -3;
    private const int MArenaMax = -8;

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int param, int value);

    /// <summary>Applies the validated options once the host starts.</summary>
    private sealed class LibvipsSetup(IOptions<ImagingOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            ConfigureLibvips(options.Value);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
