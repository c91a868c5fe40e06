namespace Scalegram.SystemTests.Drills;

/// <summary>
/// Starts operations at a fixed rate whatever the server does (open loop: a slow or dead node does not
/// slow the arrivals), for a bounded time, and waits for every started operation to finish.
/// </summary>
internal static class OpenLoop
{
    public static async Task RunAsync(int perSecond, TimeSpan duration, Func<long, Task> operation, CancellationToken ct = default)
    {
        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var started = new List<Task>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (long n = 0; clock.Elapsed < duration && !ct.IsCancellationRequested; n++)
        {
            var due = interval * n;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, ct);
            }

            var current = n; // a for loop's variable is shared by every closure made in it
            started.Add(Task.Run(() => operation(current), CancellationToken.None));
        }

        await Task.WhenAll(started);
    }
}
