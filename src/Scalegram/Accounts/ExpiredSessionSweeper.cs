namespace Scalegram.Accounts;

/// <summary>
/// Deletes sessions that ended (expired or revoked) over a day ago, in small batches every few minutes,
/// so the sessions table holds live sessions only. Safe on every node at once: deletes are idempotent.
/// </summary>
internal sealed class ExpiredSessionSweeper(SessionStore sessions, TimeProvider time, ILogger<ExpiredSessionSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan RevokedKeptFor = TimeSpan.FromDays(1);
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
                // Tried again next period.
                Log.SweepFailed(logger, e);
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

    /// <summary>One sweep: batches until a batch comes back short. Returns how many sessions it deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var total = 0;
        int deleted;
        do
        {
            // A day's grace: an operator can still see a recent logout or expiry.
            deleted = await sessions.DeleteEndedAsync(time.GetUtcNow() - RevokedKeptFor, Batch, ct);
            total += deleted;
        }
        while (deleted == Batch);
        if (total > 0)
        {
            Log.Swept(logger, total);
        }

        return total;
    }
}
