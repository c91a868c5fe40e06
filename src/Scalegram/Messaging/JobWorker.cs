using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scalegram.Data;

namespace Scalegram.Messaging;

/// <summary>
/// The worker role's loops on the embedded transport: each consumed queue has its own slots (its
/// concurrency), which claim only that queue's due jobs from every store under a lease and hand them to
/// the shared <see cref="JobRunner"/>. A backlog in one queue therefore never delays another's jobs.
/// </summary>
internal sealed class JobWorker(
    Database database,
    EmbeddedQueue queue,
    JobSignal signal,
    JobRunner runner,
    QueuePlan plan,
    IOptions<MessagingOptions> options,
    ILogger<JobWorker> logger) : BackgroundService
{
    private readonly MessagingOptions _options = options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        runner.Expect(plan);
        if (plan.SingleQueue)
        {
            // The baseline: one pool claims from every queue in arrival order.
            Log.WorkingQueue(logger, "(all, one pool)", _options.Concurrency);
            return Task.WhenAll(Enumerable.Range(0, _options.Concurrency).Select(slot => RunSlotAsync(null, slot, stoppingToken)));
        }

        foreach (var q in plan.Consumed)
        {
            Log.WorkingQueue(logger, q.Queue, q.Concurrency);
        }

        return Task.WhenAll(plan.Consumed.SelectMany(q => Enumerable.Range(0, q.Concurrency).Select(slot => RunSlotAsync(q.Queue, slot, stoppingToken))));
    }

    private async Task RunSlotAsync(string? fromQueue, int slot, CancellationToken ct)
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
                    var job = await queue.ClaimAsync(store, fromQueue, _options.Lease, ct);
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
                Log.JobStoreUnreachable(logger, ex, fromQueue ?? "*", slot);
                await Task.Delay(_options.PollInterval, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (!worked && !ct.IsCancellationRequested)
            {
                try
                {
                    await signal.WaitAsync(fromQueue, _options.PollInterval, ct);
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
        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewer = RenewWhileRunningAsync(store, job.Id, renewal.Token);
        try
        {
            await runner.RunAsync(job, new LeaseSettlement(queue, store, job.Id), ct);
        }
        finally
        {
            await renewal.CancelAsync();
            await renewer;
        }
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
            Log.LeaseNotRenewed(logger, ex, jobId);
        }
    }

    /// <summary>Settles a leased row: delete, reschedule, or park it as 'dead'.</summary>
    private sealed class LeaseSettlement(EmbeddedQueue queue, PhysicalStore store, long jobId) : IJobSettlement
    {
        public Task CompleteAsync(CancellationToken ct) => queue.CompleteAsync(store, jobId, ct);

        public Task RetryAsync(TimeSpan delay, string error, CancellationToken ct) => queue.RetryAsync(store, jobId, delay, error, ct);

        public Task PostponeAsync(TimeSpan delay, string error, CancellationToken ct) => queue.PostponeAsync(store, jobId, delay, error, ct);

        public Task DeadLetterAsync(string error, CancellationToken ct) => queue.DeadLetterAsync(store, jobId, error, ct);

        // The lease lapses and another worker claims the row.
        public Task AbandonAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
