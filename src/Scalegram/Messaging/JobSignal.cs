using System.Collections.Concurrent;

namespace Scalegram.Messaging;

/// <summary>
/// Wakes this process's idle workers when it has just committed a job, so in-process jobs start without
/// waiting for a poll. Each queue's workers wait on their own signal, so a pulse wakes one worker of every
/// queue rather than whichever worker happens to be first (which might serve another queue).
/// </summary>
internal sealed class JobSignal
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _signals = new(StringComparer.Ordinal);

    public void Pulse()
    {
        foreach (var signal in _signals.Values)
        {
            if (signal.CurrentCount < 64)
            {
                signal.Release();
            }
        }
    }

    /// <summary>Waits for a pulse meant for the workers of <paramref name="queue"/> (null: workers of every queue).</summary>
    public Task<bool> WaitAsync(string? queue, TimeSpan timeout, CancellationToken ct) =>
        _signals.GetOrAdd(queue ?? "*", _ => new SemaphoreSlim(0, int.MaxValue)).WaitAsync(timeout, ct);

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => WaitAsync(null, timeout, ct);
}
