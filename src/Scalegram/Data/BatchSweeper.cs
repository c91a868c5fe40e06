namespace Scalegram.Data;

/// <summary>
/// Deletes rows that are no longer needed (ended sessions, expired keys) in batches, once at start and then
/// every <see cref="Period"/>; safe on every node at once because deletes are idempotent. A failed sweep is
/// logged and tried again next period.
/// </summary>
internal abstract class BatchSweeper(TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(10);
    protected const int Batch = 1000;

    /// <summary>One sweep: batches until one comes back short. Returns how many rows it deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var total = 0;
        int deleted;
        do
        {
            deleted = await DeleteBatchAsync(time.GetUtcNow(), ct);
            total += deleted;
        }
        while (deleted >= Batch);
        if (total > 0)
        {
            Swept(total);
        }

        return total;
    }

    /// <summary>Deletes at most <see cref="Batch"/> rows that are unneeded at <paramref name="now"/>; returns how many.</summary>
    protected abstract Task<int> DeleteBatchAsync(DateTimeOffset now, CancellationToken ct);

    protected abstract void Swept(int total);

    protected abstract void Failed(Exception exception);

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
                Failed(e);
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
}
