namespace Scalegram.Bench;

/// <summary>
/// Sends at a fixed arrival rate whatever the server does (open loop): request i is due at
/// start + i / rate and is sent then even if earlier ones have not answered. Its latency is
/// measured from that due time, not from when it actually left, so a stall in the server or in
/// this process (a late send, a burst of catch-up sends) shows as latency rather than vanishing
/// (no coordinated omission).
/// </summary>
internal sealed class OpenLoopScheduler(TimeProvider time, double rate, TimeSpan duration, int maxInFlight = 20_000)
{
    private int _inFlight;
    private long _start;

    public long Planned => (long)Math.Floor(rate * duration.TotalSeconds);

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>How long sending took (from the first due time to the last send): the achieved rate's denominator.</summary>
    public TimeSpan SendElapsed { get; private set; }

    /// <summary>
    /// Runs the schedule; <paramref name="send"/> performs request i and returns null for success
    /// or an error kind. Waits at most <paramref name="drain"/> for the last answers.
    /// </summary>
    public async Task RunAsync(Func<long, CancellationToken, Task<(string Operation, string? Error)>> send, LatencyRecorder recorder, TimeSpan drain, CancellationToken ct)
    {
        var start = _start = time.GetTimestamp();
        var frequency = (double)time.TimestampFrequency;
        var pending = new List<Task>();
        for (long i = 0; i < Planned && !ct.IsCancellationRequested; i++)
        {
            var due = start + (long)(i * frequency / rate);
            var wait = (due - time.GetTimestamp()) / frequency;
            if (wait > 0.0005)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(wait), time, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            recorder.Sending(SecondOf(due));
            if (Interlocked.Increment(ref _inFlight) > maxInFlight)
            {
                // Past the client's own limit: count a failure at its due time rather than queue it here.
                Interlocked.Decrement(ref _inFlight);
                recorder.Record(SecondOf(time.GetTimestamp()), "client-overloaded", Since(due), "client: too many requests in flight");
                continue;
            }

            var index = i;
            var dueAt = due;
            pending.Add(Task.Run(() => FireAsync(index, dueAt, send, recorder, ct), CancellationToken.None));
        }

        SendElapsed = TimeSpan.FromSeconds(Math.Max(1, time.GetTimestamp() - start) / frequency);
        await Task.WhenAll(pending).WaitAsync(drain, time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        int SecondOf(long timestamp) => (int)((timestamp - start) / frequency);

        TimeSpan Since(long timestamp) => TimeSpan.FromSeconds((time.GetTimestamp() - timestamp) / frequency);
    }

    private async Task FireAsync(long index, long due, Func<long, CancellationToken, Task<(string Operation, string? Error)>> send, LatencyRecorder recorder, CancellationToken ct)
    {
        string operation = "unknown";
        string? error;
        try
        {
            (operation, error) = await send(index, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error = "cancelled";
        }
        catch (Exception e)
        {
            error = e switch
            {
                HttpRequestException h => $"connection: {h.HttpRequestError}",
                TaskCanceledException => "timeout",
                _ => e.GetType().Name,
            };
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }

        var now = time.GetTimestamp();
        var frequency = (double)time.TimestampFrequency;
        recorder.Record((int)((now - _start) / frequency), operation, TimeSpan.FromSeconds((now - due) / frequency), error);
    }
}
