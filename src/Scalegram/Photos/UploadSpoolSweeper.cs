namespace Scalegram.Photos;

/// <summary>Sweeps DATA_DIR/tmp at start-up and every <see cref="Period"/>: spooled uploads not written for <see cref="MaxAge"/> are deleted.</summary>
internal sealed class UploadSpoolSweeper(UploadSpool spool, TimeProvider time, ILogger<UploadSpoolSweeper> logger) : BackgroundService
{
    /// <summary>How long a spooled file may sit unwritten; far beyond any upload in progress (see <see cref="UploadSpool.Sweep"/>).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);

    public static readonly TimeSpan Period = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            try
            {
                if (spool.Sweep(MaxAge, time.GetUtcNow()) is > 0 and var count)
                {
                    Log.SpoolSwept(logger, count, spool.Directory);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.SpoolSweepFailed(logger, e, spool.Directory);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
