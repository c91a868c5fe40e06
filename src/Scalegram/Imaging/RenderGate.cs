using Microsoft.Extensions.Options;

namespace Scalegram.Imaging;

/// <summary>
/// Bounds the renders of one process: at most Imaging:MaxConcurrentRenders at once, and together
/// never more decode memory than Imaging:MaxDecodeMemoryMiB, so a burst of big photos queues instead
/// of growing the worker past its memory.
/// </summary>
internal sealed class RenderGate(IOptions<ImagingOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _renders = new(options.Value.MaxConcurrentRenders);
    private readonly SemaphoreSlim _memory = new(options.Value.MaxDecodeMemoryMiB);

    // Memory is taken one MiB at a time by one waiter at a time: two big renders each holding half never deadlock.
    private readonly SemaphoreSlim _admission = new(1);

    public int BudgetMiB => options.Value.MaxDecodeMemoryMiB;

    /// <summary>Waits for a render slot and the memory <paramref name="header"/> needs; dispose the lease to give them back.</summary>
    public async Task<IDisposable> EnterAsync(ImageHeader header, CancellationToken ct)
    {
        var mib = (int)Math.Min(int.MaxValue, (header.DecodeBytes + (1 << 20) - 1) >> 20);
        if (mib > BudgetMiB)
        {
            throw new ImageRejected(
                $"The image needs about {mib} MB of memory to decode ({header.Width}×{header.Height}{(header.Whole ? ", stored progressive/interlaced so it is decoded whole" : "")}); the limit is {BudgetMiB} MB. Save it as a baseline JPEG or a smaller image and upload it again.",
                ImageRejected.TooLarge);
        }

        await _renders.WaitAsync(ct);
        var taken = 0;
        try
        {
            await _admission.WaitAsync(ct);
            try
            {
                for (; taken < mib; taken++)
                {
                    await _memory.WaitAsync(ct);
                }
            }
            finally
            {
                _admission.Release();
            }
        }
        catch
        {
            Release(taken);
            throw;
        }

        return new Lease(this, mib);
    }

    private void Release(int mib)
    {
        ImagingTier.ReturnFreedMemory();
        if (mib > 0)
        {
            _memory.Release(mib);
        }

        _renders.Release();
    }

    public void Dispose()
    {
        _renders.Dispose();
        _memory.Dispose();
        _admission.Dispose();
    }

    /// <summary>A render slot and its memory, given back once.</summary>
    private sealed class Lease(RenderGate gate, int mib) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release(mib);
            }
        }
    }
}
