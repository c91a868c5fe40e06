using System.ComponentModel.DataAnnotations;

namespace Scalegram.Caching;

/// <summary>The cache tier's settings (section "Caching").</summary>
internal sealed class CachingOptions
{
    public const string Section = "Caching";

    /// <summary>Memory (in-process only) or Redis (L1 memory + L2 Redis with a backplane).</summary>
    [EnumDataType(typeof(CacheEngine), ErrorMessage = "Caching:Engine must be Memory or Redis.")]
    public CacheEngine Engine { get; set; } = CacheEngine.Memory;

    /// <summary>How long an entry lives unless a write invalidates it first.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Caching:Duration must be between 1 s and 1 day.")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Turns the cache off entirely (every read goes to the database): for measuring what the cache buys.</summary>
    public bool Disabled { get; set; }
}
