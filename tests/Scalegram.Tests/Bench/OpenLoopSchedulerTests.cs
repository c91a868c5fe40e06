using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Scalegram.Bench;

namespace Scalegram.Tests.Bench;

/// <summary>The arrival-rate scheduler on a fake clock: sends keep their schedule, and lateness counts as latency.</summary>
public sealed class OpenLoopSchedulerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_slow_response_does_not_delay_later_sends_and_its_latency_is_counted_in_full()
    {
        var time = new FakeTimeProvider(Start);
        var scheduler = new OpenLoopScheduler(time, rate: 10, duration: TimeSpan.FromSeconds(1));
        var recorder = new LatencyRecorder();
        var sentAt = new ConcurrentDictionary<long, TimeSpan>();
        var slow = new TaskCompletionSource();
        var run = scheduler.RunAsync(
            async (i, _) =>
            {
                sentAt[i] = time.GetUtcNow() - Start;
                if (i == 0)
                {
                    await slow.Task;
                    return ("slow", null);
                }

                return ("fast", null);
            },
            recorder,
            TimeSpan.FromMinutes(1),
            CancellationToken.None);

        for (var step = 1; step <= 10; step++)
        {
            // Wait until the fast ones have also been recorded, so the clock moves only between sends.
            await Until(() => sentAt.Count == step && recorder.Ok == step - 1);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        // All ten went out on schedule although the first has not answered.
        Assert.Equal(Enumerable.Range(0, 10).Select(i => TimeSpan.FromMilliseconds(i * 100)), Enumerable.Range(0, 10).Select(i => sentAt[i]));
        await Until(() => recorder.Ok == 9);

        time.Advance(TimeSpan.FromMilliseconds(1000)); // now 2 s after the first was due
        slow.SetResult();
        await run;

        var ops = recorder.Operations();
        Assert.Equal(2000, ops["slow"].Latency.Max, tolerance: 2);
        Assert.Equal(0, ops["fast"].Latency.Max, tolerance: 0.01);
        Assert.Equal(10, recorder.Sent);
    }

    [Fact]
    public async Task Sends_that_catch_up_after_a_stall_are_measured_from_their_scheduled_time()
    {
        var time = new FakeTimeProvider(Start);
        var scheduler = new OpenLoopScheduler(time, rate: 10, duration: TimeSpan.FromSeconds(1));
        var recorder = new LatencyRecorder();
        var sent = 0;
        var run = scheduler.RunAsync(
            (_, _) =>
            {
                Interlocked.Increment(ref sent);
                return Task.FromResult<(string, string?)>(("read", null));
            },
            recorder,
            TimeSpan.FromMinutes(1),
            CancellationToken.None);

        await Until(() => Volatile.Read(ref sent) == 1 && recorder.Ok == 1);

        // The generator stalls for a whole second (a GC pause, a busy machine): nine sends are overdue.
        time.Advance(TimeSpan.FromSeconds(1));
        await run;

        var p = recorder.Overall();
        Assert.Equal(10, p.Count);

        // Request i was due at i*100 ms and answered at 1000 ms: 900, 800, ..., 100 ms, and 0 for the first.
        Assert.Equal(900, p.Max, tolerance: 1);
        Assert.Equal(400, p.P50, tolerance: 1);
        Assert.True(p.Mean > 400, $"a catch-up burst must not look fast (mean {p.Mean} ms)");
    }

    [Fact]
    public void The_plan_is_rate_times_duration()
    {
        Assert.Equal(6000, new OpenLoopScheduler(TimeProvider.System, 200, TimeSpan.FromSeconds(30)).Planned);
        Assert.Equal(5, new OpenLoopScheduler(TimeProvider.System, 0.5, TimeSpan.FromSeconds(10)).Planned);
    }

    /// <summary>Waits (bounded) for the scheduler's background tasks to catch up with the fake clock.</summary>
    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the scheduler did not reach the expected state within 10 s");
            await Task.Delay(5);
        }
    }
}
