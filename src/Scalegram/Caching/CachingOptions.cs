using System.ComponentModel.DataAnnotations;

namespace Scalegram.Caching;

/// <summary>The cache tier's settings (section "Caching").</summary>
internal sealed class CachingOptions : IValidatableObject
{
    public const string Section = "Caching";

    /// <summary>Memory (in-process only) or Redis (L1 memory + L2 Redis with a backplane).</summary>
    [EnumDataType(typeof(CacheEngine), ErrorMessage = "Caching:Engine must be Memory or Redis.")]
    public CacheEngine Engine { get; set; } = CacheEngine.Memory;

    /// <summary>How long an entry lives unless a write invalidates it first.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Caching:Duration must be between 1 s and 1 day.")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Up to this much is added at random to each entry's lifetime, so keys filled together do not all expire together.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Caching:Jitter must be between 0 and 1 hour.")]
    public TimeSpan Jitter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long past its lifetime an entry may still be served while the database is slow or down (fail-safe); 0 turns fail-safe off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "Caching:FailSafeMaxDuration must be between 0 and 7 days.")]
    public TimeSpan FailSafeMaxDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>After serving a stale value because the database failed, how long to keep serving it before trying again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "Caching:FailSafeThrottle must be between 100 ms and 10 minutes.")]
    public TimeSpan FailSafeThrottle { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A load slower than this serves the stale value (when there is one) and finishes in the background.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ErrorMessage = "Caching:LoadSoftTimeout must be between 10 ms and 1 minute.")]
    public TimeSpan LoadSoftTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The share of an entry's lifetime after which a read refreshes it in the background (eager refresh):
    /// only keys read in that last stretch — hot keys — are refreshed, and their readers never wait on a miss. 0 turns it off.
    /// </summary>
    [Range(0.0, 0.99, ErrorMessage = "Caching:EagerRefreshThreshold must be 0 (off) or between 0.5 and 0.99.")]
    public double EagerRefreshThreshold { get; set; } = 0.9;

    /// <summary>How many entries the in-process cache (L1) holds at most; past it the least used are compacted away.</summary>
    [Range(100, 100_000_000, ErrorMessage = "Caching:L1SizeLimit must be between 100 and 100,000,000 entries.")]
    public long L1SizeLimit { get; set; } = 100_000;

    /// <summary>How often counts changed by a burst of writes (likes on a hot photo) are re-read once and republished.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "Caching:CounterFlushInterval must be between 50 ms and 1 minute.")]
    public TimeSpan CounterFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Turns the cache off entirely (every read goes to the database): for measuring what the cache buys.</summary>
    public bool Disabled { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EagerRefreshThreshold is > 0 and < 0.5)
        {
            yield return new ValidationResult("Caching:EagerRefreshThreshold must be 0 (off) or between 0.5 and 0.99.", [nameof(EagerRefreshThreshold)]);
        }

        if (FailSafeMaxDuration > TimeSpan.Zero && FailSafeMaxDuration < Duration)
        {
            yield return new ValidationResult("Caching:FailSafeMaxDuration must be 0 (off) or at least Caching:Duration.", [nameof(FailSafeMaxDuration)]);
        }
    }
}
