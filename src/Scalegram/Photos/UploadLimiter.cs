using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Scalegram.Caching;
using StackExchange.Redis;

namespace Scalegram.Photos;

/// <summary>
/// Per-user upload limits, checked before anything of the upload is read or stored: a rate of
/// Photos:UploadsPerHour (a fixed one-hour window from the first upload; 429 with Retry-After) and a quota of
/// Photos:MaxPhotosPerUser photos kept (403 "upload-quota-exceeded"). The rate is counted across every node
/// in Redis when the cache tier is Redis (INCR + PEXPIRE in one script), in-process otherwise or while Redis
/// cannot answer. The quota is counted in the owner's store; two uploads racing at the limit may both pass.
/// </summary>
internal sealed class UploadLimiter(PhotoStore store, IOptions<PhotoOptions> options, TimeProvider time, ILogger<UploadLimiter> logger, RedisConnection? redis = null)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private const string CountScript = """
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return { n, redis.call('PTTL', KEYS[1]) }
        """;

    private readonly ConcurrentDictionary<long, Counter> _local = new();

    /// <summary>Null if the upload may go ahead (and counts it), else why not.</summary>
    public async Task<UploadRefusal?> CheckAsync(long userId, CancellationToken ct)
    {
        var o = options.Value;
        if (o.MaxPhotosPerUser > 0 && await store.CountByOwnerAsync(userId, ct) >= o.MaxPhotosPerUser)
        {
            return new UploadRefusal(null, $"You have {o.MaxPhotosPerUser} photos, the most an account may keep (Photos:MaxPhotosPerUser); delete some to upload more.");
        }

        if (o.UploadsPerHour > 0 && await CountAsync(userId, ct) is var (count, resetIn) && count > o.UploadsPerHour)
        {
            var minutes = (int)Math.Ceiling(resetIn.TotalMinutes);
            return new UploadRefusal(resetIn, $"You have reached the limit of {o.UploadsPerHour} uploads an hour (Photos:UploadsPerHour); try again in {minutes} minute{(minutes == 1 ? "" : "s")}.");
        }

        return null;
    }

    private async Task<(long Count, TimeSpan ResetIn)> CountAsync(long userId, CancellationToken ct)
    {
        if (redis is not null)
        {
            try
            {
                var result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(
                    CountScript, [(RedisKey)$"{redis.KeyPrefix}uploads:{userId}"], [(long)Window.TotalMilliseconds]).WaitAsync(ct))!;
                return ((long)result[0], TimeSpan.FromMilliseconds(Math.Max((long)result[1], 1000)));
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                Log.UploadLimitUnavailable(logger, e);
            }
        }

        var now = time.GetUtcNow();
        var counter = _local.AddOrUpdate(
            userId,
            _ => new Counter(now, 1),
            (_, c) => now - c.Start >= Window ? new Counter(now, 1) : c with { Count = c.Count + 1 });
        if (_local.Count > 100_000)
        {
            // Bounded memory: forget windows that have ended.
            foreach (var (key, c) in _local)
            {
                if (now - c.Start >= Window)
                {
                    _local.TryRemove(key, out _);
                }
            }
        }

        var resetIn = counter.Start + Window - now;
        return (counter.Count, resetIn < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : resetIn);
    }

    private sealed record Counter(DateTimeOffset Start, long Count);
}

/// <summary>Why an upload was refused: over the rate (with when to retry) or over the quota (no retry helps).</summary>
internal sealed record UploadRefusal(TimeSpan? RetryAfter, string Message);
