namespace Scalegram.Web.Idempotency;

/// <summary>Deletes expired Idempotency-Key records on every store, in batches every few minutes; safe on every node at once.</summary>
internal sealed class IdempotencyKeySweeper(IIdempotencyStore store, TimeProvider time, ILogger<IdempotencyKeySweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(10);
    private const int Batch = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Log.IdempotencySweepFailed(logger, e);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One sweep: batches until one comes back short. Expired keys are free even before this runs (a claim takes them over).</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var total = 0;
        int deleted;
        do
        {
            deleted = await store.DeleteExpiredAsync(time.GetUtcNow(), Batch, ct);
            total += deleted;
        }
        while (deleted >= Batch);
        if (total > 0)
        {
            Log.IdempotencyKeysSwept(logger, total);
        }

        return total;
    }
}
