using Scalegram.Messaging;

namespace Scalegram.Tests.Messaging;

public sealed class EmbeddedQueueTests : IAsyncLifetime
{
    private QueueHarness _h = null!;

    public async Task InitializeAsync() => _h = await QueueHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_failing_job_is_retried_with_exponential_backoff_then_dead_lettered_after_max_attempts()
    {
        var handler = new ScriptedHandler(_ => new InvalidOperationException("flaky"));
        await _h.EnqueueAsync("photo.test", new { n = 1 });
        var start = _h.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        using var cts = new CancellationTokenSource();
        var worker = _h.NewWorker(handler, maxAttempts: 3, retryBase: TimeSpan.FromSeconds(2));
        await worker.StartAsync(cts.Token);
        try
        {
            var first = await _h.WaitForAsync(j => j?.Attempts == 1 && j.LastError is not null);
            Assert.Equal("ready", first!.State);
            Assert.Equal(start + 2000, first.RunAfter);

            // Not due yet: nothing runs while the clock stands still. A worker only runs what a claim
            // hands it, so instead of sleeping and counting calls, ask for the next due job at this very
            // instant: there is none, and the row is released (no worker holds it) with its backoff intact.
            Assert.Null(await _h.NewQueue().ClaimAsync(_h.Store, TimeSpan.FromSeconds(30), CancellationToken.None));
            Assert.Equal((null, null), await _h.LeaseAsync());
            Assert.Equal(first, await _h.JobAsync());
            Assert.Equal(1, handler.Calls);

            _h.Clock.Advance(TimeSpan.FromSeconds(2));
            var second = await _h.WaitForAsync(j => j?.Attempts == 2 && j.RunAfter > first.RunAfter);
            Assert.Equal(start + 2000 + 4000, second!.RunAfter);

            _h.Clock.Advance(TimeSpan.FromSeconds(4));
            var dead = await _h.WaitForAsync(j => j?.State == "dead");
            Assert.Equal(3, dead!.Attempts);
            Assert.Equal("flaky", dead.LastError);
            Assert.Equal(3, handler.Calls);
            Assert.NotNull(handler.GaveUpReason);
        }
        finally
        {
            await cts.CancelAsync();
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_dependency_outage_postpones_the_job_without_using_up_its_attempts()
    {
        // Three outage failures with a budget of two attempts: without postponement the job would be dead.
        var handler = new ScriptedHandler(call => call <= 3
            ? new Scalegram.Storage.BlobStoreUnavailableException("S3 down", new IOException("refused"), TimeSpan.FromSeconds(1))
            : null);
        await _h.EnqueueAsync("photo.test", new { n = 9 });
        var worker = _h.NewWorker(handler, maxAttempts: 2, retryBase: TimeSpan.FromSeconds(1));
        await worker.StartAsync(CancellationToken.None);
        try
        {
            long previousRunAfter = 0;
            for (var call = 1; call <= 3; call++)
            {
                var now = _h.Clock.GetUtcNow().ToUnixTimeMilliseconds();
                var postponed = await _h.WaitForAsync(j => j?.LastError == "S3 down" && j.RunAfter > previousRunAfter && j.RunAfter == now + 5000);
                Assert.Equal("ready", postponed!.State);
                Assert.Equal(0, postponed.Attempts);
                previousRunAfter = postponed.RunAfter;
                _h.Clock.Advance(TimeSpan.FromSeconds(5));
            }

            Assert.Null(await _h.WaitForAsync(j => j is null));
            Assert.Equal(4, handler.Calls);
            Assert.Null(handler.GaveUpReason);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_permanent_failure_is_dead_lettered_at_once()
    {
        var handler = new ScriptedHandler(_ => new PermanentJobFailure("never going to work"));
        await _h.EnqueueAsync("photo.test", new { n = 2 });
        var worker = _h.NewWorker(handler, maxAttempts: 5);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var dead = await _h.WaitForAsync(j => j?.State == "dead");
            Assert.Equal(1, dead!.Attempts);
            Assert.Equal("never going to work", handler.GaveUpReason);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_job_that_succeeds_after_a_retry_is_completed_and_removed()
    {
        var handler = new ScriptedHandler(call => call == 1 ? new TimeoutException("blip") : null);
        await _h.EnqueueAsync("photo.test", new { n = 3 });
        var worker = _h.NewWorker(handler, retryBase: TimeSpan.FromSeconds(1));
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await _h.WaitForAsync(j => j?.Attempts == 1 && j.LastError is not null);
            _h.Clock.Advance(TimeSpan.FromSeconds(1));
            Assert.Null(await _h.WaitForAsync(j => j is null));
            Assert.Equal(2, handler.Calls);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task An_expired_lease_makes_the_job_run_again_and_the_old_worker_cannot_complete_it()
    {
        await _h.EnqueueAsync("photo.test", new { n = 4 });
        var dying = _h.NewQueue();
        var survivor = _h.NewQueue();
        var lease = TimeSpan.FromSeconds(30);

        var claimed = await dying.ClaimAsync(_h.Store, lease, CancellationToken.None);
        Assert.NotNull(claimed);
        Assert.Equal(1, claimed.Attempts);
        Assert.Null(await survivor.ClaimAsync(_h.Store, lease, CancellationToken.None));

        _h.Clock.Advance(lease + TimeSpan.FromSeconds(1));
        var again = await survivor.ClaimAsync(_h.Store, lease, CancellationToken.None);
        Assert.NotNull(again);
        Assert.Equal(claimed.Id, again.Id);
        Assert.Equal(2, again.Attempts);

        // The first worker wakes up late: its completion must not remove a job it no longer holds.
        await dying.CompleteAsync(_h.Store, claimed.Id, CancellationToken.None);
        Assert.NotNull(await _h.JobAsync());
        await survivor.CompleteAsync(_h.Store, again.Id, CancellationToken.None);
        Assert.Null(await _h.JobAsync());
    }
}
