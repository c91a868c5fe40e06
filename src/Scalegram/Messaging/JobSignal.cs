namespace Scalegram.Messaging;

/// <summary>Wakes this process's idle workers when it has just committed a job, so in-process jobs start without waiting for a poll.</summary>
internal sealed class JobSignal
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    public void Pulse()
    {
        if (_signal.CurrentCount < 64)
        {
            _signal.Release();
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
