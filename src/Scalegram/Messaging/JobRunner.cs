using System.Diagnostics;
using Microsoft.Extensions.Options;
using Scalegram.Data.Ids;
using Scalegram.Observability;

namespace Scalegram.Messaging;

/// <summary>
/// Runs one job the same way on every transport: finds its handler, traces and measures it, and
/// decides between complete, retry with exponential backoff, postpone (a dependency is down: no attempt
/// used), and dead-letter. The transport only
/// carries out that decision through an <see cref="IJobSettlement"/>.
/// </summary>
internal sealed class JobRunner(
    IEnumerable<IJobHandler> handlers,
    IOptions<MessagingOptions> options,
    ScalegramMetrics metrics,
    ILogger<JobRunner> logger,
    TimeProvider? clock = null,
    QueueThroughput? throughput = null)
{
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Type);
    private readonly MessagingOptions _options = options.Value;
    private readonly TimeProvider _time = clock ?? TimeProvider.System;

    /// <summary>Delay before attempt <paramref name="attempt"/> + 1: the base delay, doubled per earlier attempt.</summary>
    public static TimeSpan RetryDelay(MessagingOptions options, int attempt) =>
        options.RetryBaseDelay * Math.Pow(2, Math.Max(0, attempt - 1));

    /// <summary>Makes the throughput series of every queue and type this process consumes exist (at 0) before any job runs.</summary>
    public void Expect(QueuePlan plan)
    {
        foreach (var (queue, type) in plan.Types)
        {
            metrics.JobsExpected(queue, type);
        }
    }

    public async Task RunAsync(Job job, IJobSettlement settlement, CancellationToken ct)
    {
        using var activity = Telemetry.Source.StartActivity(
            $"job {job.Type}", ActivityKind.Consumer, job.TraceParent ?? default(string));
        activity?.SetTag("messaging.destination.name", job.Queue);
        activity?.SetTag("messaging.message.id", job.Id);
        activity?.SetTag("scalegram.job.attempt", job.Attempts);

        if (job.Attempts == 1 && job.Id > 0)
        {
            // The job's ID carries the millisecond it was enqueued (both transports), so no extra field is needed.
            metrics.JobWaited(job.Queue, _time.GetUtcNow() - ScalegramId.TimestampOf(job.Id));
        }

        var started = Stopwatch.GetTimestamp();
        Exception? failure;
        using (metrics.JobRunning(job.Queue))
        {
            failure = await HandleAsync(job, ct);
        }

        // Settling is never cancelled: the work is done (or given up), and a stopping worker must still
        // record that, or the job would run again (or sit leased until its lease lapses).
        string outcome;
        if (failure is null)
        {
            await settlement.CompleteAsync(CancellationToken.None);
            outcome = "ok";
        }
        else if (failure is OperationCanceledException && ct.IsCancellationRequested)
        {
            await settlement.AbandonAsync(CancellationToken.None);
            outcome = "interrupted";
        }
        else if (failure is not PermanentJobFailure && DependencyOutage.Caused(failure))
        {
            Log.JobPostponed(logger, failure, job.Id, job.Type, _options.OutageRetryDelay);
            await settlement.PostponeAsync(_options.OutageRetryDelay, failure.Message, CancellationToken.None);
            outcome = "postponed";
        }
        else if (failure is PermanentJobFailure || job.Attempts >= _options.MaxAttempts)
        {
            Log.JobDeadLettered(logger, failure, job.Id, job.Type, job.Attempts);
            await settlement.DeadLetterAsync(failure.Message, CancellationToken.None);
            await GiveUpAsync(job, failure is PermanentJobFailure ? failure.Message : "Processing kept failing; please try again.");
            outcome = "dead";
        }
        else
        {
            var delay = RetryDelay(_options, job.Attempts);
            Log.JobRetrying(logger, failure, job.Id, job.Type, job.Attempts, delay);
            await settlement.RetryAsync(delay, failure.Message, CancellationToken.None);
            outcome = "retry";
        }

        activity?.SetTag("scalegram.job.outcome", outcome);
        metrics.JobFinished(job.Queue, job.Type, outcome, Stopwatch.GetElapsedTime(started));
        throughput?.Finished(job.Queue, outcome);
    }

    /// <summary>Runs the handler; returns what it threw, or null when it succeeded.</summary>
    private async Task<Exception?> HandleAsync(Job job, CancellationToken ct)
    {
        try
        {
            if (job.Attempts > _options.MaxAttempts)
            {
                // Only a job whose worker died mid-run every time gets here (the lease lapsed or the
                // message was redelivered): running it again would only kill another worker.
                throw new PermanentJobFailure($"The job was started {job.Attempts} times without finishing.");
            }

            if (!_handlers.TryGetValue(job.Type, out var handler))
            {
                throw new PermanentJobFailure($"No handler for job type '{job.Type}'.");
            }

            await handler.HandleAsync(job, ct);
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private async Task GiveUpAsync(Job job, string reason)
    {
        if (!_handlers.TryGetValue(job.Type, out var handler))
        {
            return;
        }

        try
        {
            await handler.OnGaveUpAsync(job, reason, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // A payload too broken to run is usually too broken to mark failed; the dead letter keeps it.
            Log.GiveUpNotRecorded(logger, ex, job.Id, job.Type);
        }
    }
}
