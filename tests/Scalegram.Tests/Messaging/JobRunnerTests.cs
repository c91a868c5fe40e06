using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Scalegram.Messaging;
using Scalegram.Observability;
using Scalegram.Storage;

namespace Scalegram.Tests.Messaging;

/// <summary>The retry/dead-letter decision both transports share, against a recording settlement.</summary>
public sealed class JobRunnerTests
{
    private static readonly MessagingOptions Options = new() { MaxAttempts = 3, RetryBaseDelay = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task A_job_that_succeeds_is_completed()
    {
        var (runner, handler) = Create(_ => Task.CompletedTask);
        var settled = new RecordingSettlement();
        await runner.RunAsync(Job(attempts: 1), settled, CancellationToken.None);
        Assert.Equal(["complete"], settled.Calls);
        Assert.Equal(1, handler.Runs);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    public async Task A_failing_job_is_retried_with_exponential_backoff(int attempt, int expectedSeconds)
    {
        var (runner, _) = Create(_ => throw new IOException("disk hiccup"));
        var settled = new RecordingSettlement();
        await runner.RunAsync(Job(attempt), settled, CancellationToken.None);
        Assert.Equal([$"retry {expectedSeconds}s: disk hiccup"], settled.Calls);
    }

    [Fact]
    public async Task The_last_attempt_dead_letters_and_tells_the_handler()
    {
        var (runner, handler) = Create(_ => throw new IOException("still broken"));
        var settled = new RecordingSettlement();
        await runner.RunAsync(Job(attempts: 3), settled, CancellationToken.None);
        Assert.Equal(["dead: still broken"], settled.Calls);
        Assert.Equal(1, handler.GaveUp);
    }

    [Fact]
    public async Task A_blob_store_outage_on_the_last_attempt_postpones_without_dead_lettering()
    {
        // An outage longer than the retry budget must not fail an upload that was already accepted.
        var (runner, handler) = Create(_ => throw new BlobStoreUnavailableException("S3 is down", new IOException("refused"), TimeSpan.FromSeconds(5)));
        var settled = new RecordingSettlement();
        await runner.RunAsync(Job(attempts: 3), settled, CancellationToken.None);
        Assert.Equal(["postpone 5s: S3 is down"], settled.Calls);
        Assert.Equal(0, handler.GaveUp);
    }

    [Fact]
    public async Task A_database_failover_on_the_last_attempt_postpones_without_dead_lettering()
    {
        var (runner, handler) = Create(_ => throw new InvalidOperationException("store failed", new Npgsql.PostgresException("read-only", "ERROR", "ERROR", "25006")));
        var settled = new RecordingSettlement();
        await runner.RunAsync(Job(attempts: 3), settled, CancellationToken.None);
        Assert.Equal(["postpone 5s: store failed"], settled.Calls);
        Assert.Equal(0, handler.GaveUp);
    }

    [Fact]
    public async Task A_permanent_failure_dead_letters_at_once()
    {
        var (runner, _) = Create(_ => throw new PermanentJobFailure("corrupt file"));
        var settled = new RecordingSettlement();
        await runner.RunAsync(Job(attempts: 1), settled, CancellationToken.None);
        Assert.Equal(["dead: corrupt file"], settled.Calls);
    }

    [Fact]
    public async Task A_job_started_more_often_than_allowed_is_dead_lettered_without_running_again()
    {
        // Its workers kept dying mid-run (redeliveries count as attempts).
        var (runner, handler) = Create(_ => Task.CompletedTask);
        var settled = new RecordingSettlement();
        await runner.RunAsync(Job(attempts: 4), settled, CancellationToken.None);
        Assert.Single(settled.Calls);
        Assert.StartsWith("dead: The job was started 4 times", settled.Calls[0]);
        Assert.Equal(0, handler.Runs);
    }

    [Fact]
    public async Task A_job_without_a_handler_is_dead_lettered()
    {
        var (runner, _) = Create(_ => Task.CompletedTask);
        var settled = new RecordingSettlement();
        await runner.RunAsync(Job(attempts: 1) with { Type = "photo.unknown" }, settled, CancellationToken.None);
        Assert.Equal(["dead: No handler for job type 'photo.unknown'."], settled.Calls);
    }

    [Fact]
    public async Task A_job_interrupted_by_shutdown_is_handed_back()
    {
        using var stop = new CancellationTokenSource();
        var (runner, _) = Create(async ct =>
        {
            await stop.CancelAsync();
            ct.ThrowIfCancellationRequested();
        });
        var settled = new RecordingSettlement();
        await runner.RunAsync(Job(attempts: 1), settled, stop.Token);
        Assert.Equal(["abandon"], settled.Calls);
    }

    private static Job Job(int attempts) => new(1, "photos", "photo.process", "{\"photoId\":1}", attempts, null, "store0");

    private static (JobRunner Runner, FakeHandler Handler) Create(Func<CancellationToken, Task> run)
    {
        var handler = new FakeHandler(run);
        var metrics = new ScalegramMetrics(new TestMeterFactory());
        return (new JobRunner([handler], Microsoft.Extensions.Options.Options.Create(Options), metrics, NullLogger<JobRunner>.Instance), handler);
    }

    private sealed class FakeHandler(Func<CancellationToken, Task> run) : IJobHandler
    {
        public int Runs { get; private set; }

        public int GaveUp { get; private set; }

        public string Type => "photo.process";

        public Task HandleAsync(Job job, CancellationToken ct)
        {
            Runs++;
            return run(ct);
        }

        public Task OnGaveUpAsync(Job job, string reason, CancellationToken ct)
        {
            GaveUp++;
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingSettlement : IJobSettlement
    {
        public List<string> Calls { get; } = [];

        public Task CompleteAsync(CancellationToken ct) => Record("complete");

        public Task RetryAsync(TimeSpan delay, string error, CancellationToken ct) => Record($"retry {delay.TotalSeconds}s: {error}");

        public Task PostponeAsync(TimeSpan delay, string error, CancellationToken ct) => Record($"postpone {delay.TotalSeconds}s: {error}");

        public Task DeadLetterAsync(string error, CancellationToken ct) => Record($"dead: {error}");

        public Task AbandonAsync(CancellationToken ct) => Record("abandon");

        private Task Record(string call)
        {
            Calls.Add(call);
            return Task.CompletedTask;
        }
    }

    private sealed class TestMeterFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
