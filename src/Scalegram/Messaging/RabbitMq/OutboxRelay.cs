using Microsoft.Extensions.Options;
using Scalegram.Data;

namespace Scalegram.Messaging.RabbitMq;

/// <summary>
/// Moves committed jobs from every store's jobs table (the outbox) into RabbitMQ. Runs on every
/// node: the node that committed a job usually publishes it within milliseconds (its commit pulses
/// the signal), and any node picks up what a crashed node left behind once the claim's lease lapses.
/// A row is marked published only after the broker confirmed it, so a crash at any point loses
/// nothing; at worst a job is published twice, which the idempotent handlers absorb.
/// </summary>
internal sealed class OutboxRelay(
    Database database,
    OutboxRows rows,
    RabbitMqPublisher publisher,
    JobSignal signal,
    IOptions<MessagingOptions> messaging,
    IOptions<RabbitMqOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly TimeSpan PrunePeriod = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var lastPrune = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var moved = 0;
            try
            {
                foreach (var store in database.Stores)
                {
                    moved += await RelayAsync(store, stoppingToken);
                }

                if (DateTime.UtcNow - lastPrune > PrunePeriod)
                {
                    lastPrune = DateTime.UtcNow;
                    foreach (var store in database.Stores)
                    {
                        await rows.PruneAsync(store, options.Value.PublishedRetention, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.OutboxNotPublished(logger, ex);
                await Task.Delay(options.Value.ReconnectInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            if (moved == 0)
            {
                try
                {
                    await signal.WaitAsync(messaging.Value.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Publishes one batch from one store; returns how many rows it moved.</summary>
    private async Task<int> RelayAsync(PhysicalStore store, CancellationToken ct)
    {
        var jobs = await rows.ClaimAsync(store, options.Value.RelayBatchSize, messaging.Value.Lease, ct);
        if (jobs.Count == 0)
        {
            return 0;
        }

        var publishes = jobs.Select(job => publisher.PublishAsync(publisher.Topology.Work(job.Queue), job, attempt: 1, error: null, ct)).ToList();
        try
        {
            await Task.WhenAll(publishes);
        }
        catch
        {
            // Inspected one by one below.
        }

        var confirmed = jobs.Where((_, i) => publishes[i].IsCompletedSuccessfully).Select(j => j.Id).ToList();
        var failed = jobs.Where((_, i) => !publishes[i].IsCompletedSuccessfully).Select(j => j.Id).ToList();
        // Not cancelled: the broker already has these messages, so the rows must say so (or be released) even while stopping.
        if (confirmed.Count > 0)
        {
            await rows.MarkPublishedAsync(store, confirmed, CancellationToken.None);
        }

        if (failed.Count > 0)
        {
            await rows.ReleaseAsync(store, failed, CancellationToken.None);
            var error = publishes.First(p => !p.IsCompletedSuccessfully).Exception?.GetBaseException();
            throw new InvalidOperationException($"{failed.Count} of {jobs.Count} jobs were not confirmed by RabbitMQ: {error?.Message}", error);
        }

        return confirmed.Count;
    }
}
