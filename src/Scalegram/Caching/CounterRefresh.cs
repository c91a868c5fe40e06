using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Scalegram.Caching;

/// <summary>
/// Coalesces the cache refreshes of a burst of counter writes (likes on a hot photo): a write publishes its
/// own fresh value at once, but concurrent writers may publish out of order, so every key written since the
/// last flush is re-read once from the primary and republished every Caching:CounterFlushInterval. A hot key
/// thus costs one reload per interval however many writes hit it, and its count is exact after the burst.
/// </summary>
internal sealed class CounterRefresh(IOptions<CachingOptions> options, ILogger<CounterRefresh> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Func<CancellationToken, Task>> _dirty = new(StringComparer.Ordinal);

    /// <summary>Keys waiting for their flush.</summary>
    public int Pending => _dirty.Count;

    /// <summary>Schedules <paramref name="refresh"/> (reload from the primary, then publish) for the next flush; a later call for the key replaces it.</summary>
    public void MarkDirty(string key, Func<CancellationToken, Task> refresh) => _dirty[key] = refresh;

    /// <summary>Runs every pending refresh once (the loop calls this each interval; tests call it directly).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        foreach (var key in _dirty.Keys)
        {
            if (!_dirty.TryRemove(key, out var refresh))
            {
                continue;
            }

            try
            {
                await refresh(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Keep it pending (unless a newer write replaced it): the next flush tries again.
                _dirty.TryAdd(key, refresh);
                Log.CounterRefreshFailed(logger, key, e);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CounterFlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
