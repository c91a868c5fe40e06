using Scalegram.Messaging;

namespace Scalegram.Tests.Messaging;

/// <summary>
/// A test handler for one job type: records the order jobs start and finish in a log shared between
/// handlers, can hold every job at a gate until the test opens it, and tracks the most jobs it ran at once.
/// </summary>
internal sealed class GatedHandler(string type, List<string> log, bool gated = false) : IJobHandler
{
    private readonly TaskCompletionSource _gate = NewGate(gated);
    private int _inFlight;
    private int _maxInFlight;
    private int _done;

    public string Type => type;

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int Done => Volatile.Read(ref _done);

    public void Open() => _gate.TrySetResult();

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }

        try
        {
            await _gate.Task.WaitAsync(ct);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }

        lock (log)
        {
            log.Add(type);
        }

        Interlocked.Increment(ref _done);
    }

    public Task OnGaveUpAsync(Job job, string reason, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Waits (real time, at most 30 s) until the condition holds; fails the test with <paramref name="what"/> otherwise.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(10);
        }
    }

    private static TaskCompletionSource NewGate(bool gated)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!gated)
        {
            gate.SetResult();
        }

        return gate;
    }
}
