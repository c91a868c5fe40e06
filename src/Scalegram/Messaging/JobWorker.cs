using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scalegram.Data;
using Scalegram.Observability;

namespace Scalegram.Messaging;

/// <summary>
/// The worker role's loop on the embedded transport: claims due jobs from every store, runs
/// their handler, and completes, retries with exponential backoff, or dead-letters them.
/// </summary>
public sealed class JobWorker(
    Database database,
    EmbeddedQueue queue,
    JobSignal signal,
    IEnumerable<IJobHandler> handlers,
    IOptions<MessagingOptions> options,
    ScalegramMetrics metrics,
    ILogger<JobWorker> logger) : BackgroundService
{
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Type);
    private readonly MessagingOptions _options = options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.Concurrency).Select(slot => RunSlotAsync(slot, stoppingToken)));

    private async Task RunSlotAsync(int slot, CancellationToken ct)
    {
        await Task.Yield();
        while (!ct.IsCancellationRequested)
        {
            var worked = false;
            try
            {
                // Start at a different store per slot so one busy store does not starve the others.
                for (var i = 0; i < database.Stores.Count; i++)
                {
                    var store = database.Stores[(slot + i) % database.Stores.Count];
                    var job = await queue.ClaimAsync(store, _options.Lease, ct);
                    if (job is not null)
                    {
                        await RunAsync(store, job, ct);
                        worked = true;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Worker slot {Slot} could not reach the job store; retrying", slot);
                await Task.Delay(_options.PollInterval, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (!worked && !ct.IsCancellationRequested)
            {
                try
                {
                    await signal.WaitAsync(_options.PollInterval, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task RunAsync(PhysicalStore store, Job job, CancellationToken ct)
    {
        using var activity = Telemetry.Source.StartActivity(
            $"job {job.Type}", ActivityKind.Consumer, job.TraceParent ?? default(string));
        activity?.SetTag("messaging.destination.name", job.Queue);
        activity?.SetTag("messaging.message.id", job.Id);
        activity?.SetTag("scalegram.job.attempt", job.Attempts);

        var started = Stopwatch.GetTimestamp();
        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewer = RenewWhileRunningAsync(store, job.Id, renewal.Token);
        string outcome;
        try
        {
            if (!_handlers.TryGetValue(job.Type, out var handler))
            {
                throw new PermanentJobFailure($"No handler for job type '{job.Type}'.");
            }

            await handler.HandleAsync(job, ct);
            await queue.CompleteAsync(store, job.Id, CancellationToken.None);
            outcome = "ok";
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the lease lapses and the job runs again elsewhere.
            outcome = "interrupted";
        }
        catch (Exception ex) when (ex is PermanentJobFailure || job.Attempts >= _options.MaxAttempts)
        {
            logger.LogError(ex, "Job {JobId} ({JobType}) dead-lettered after {Attempts} attempts", job.Id, job.Type, job.Attempts);
            await queue.DeadLetterAsync(store, job.Id, ex.Message, CancellationToken.None);
            if (_handlers.TryGetValue(job.Type, out var handler))
            {
                await handler.OnGaveUpAsync(job, ex is PermanentJobFailure ? ex.Message : "Processing kept failing; please try again.", CancellationToken.None);
            }

            outcome = "dead";
        }
        catch (Exception ex)
        {
            var delay = _options.RetryBaseDelay * Math.Pow(2, job.Attempts - 1);
            logger.LogWarning(ex, "Job {JobId} ({JobType}) failed attempt {Attempts}; retrying in {Delay}", job.Id, job.Type, job.Attempts, delay);
            await queue.RetryAsync(store, job.Id, delay, ex.Message, CancellationToken.None);
            outcome = "retry";
        }
        finally
        {
            await renewal.CancelAsync();
            await renewer;
        }

        activity?.SetTag("scalegram.job.outcome", outcome);
        metrics.JobFinished(job.Queue, job.Type, outcome, Stopwatch.GetElapsedTime(started));
    }

    private async Task RenewWhileRunningAsync(PhysicalStore store, long jobId, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.Lease / 3, ct);
                await queue.RenewAsync(store, jobId, _options.Lease, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not renew the lease of job {JobId}", jobId);
        }
    }
}
