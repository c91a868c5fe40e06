using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Scalegram.Observability;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Events;

namespace Scalegram.Caching;

/// <summary>
/// What sizing the cache needs to see: L1 entries against its limit, lookups by level (l1, l2) and result,
/// and the cache Redis's used memory, maxmemory and evictions (read from INFO every few seconds, since
/// gauge callbacks must not block).
/// </summary>
internal sealed class CacheGauges : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    private readonly IFusionCache _cache;
    private readonly L1Cache _l1;
    private readonly RedisConnection? _redis;
    private readonly ILogger<CacheGauges> _logger;
    private readonly Counter<long> _levelRequests;
    private volatile RedisMemory? _redisMemory;
    private bool _failing;

    public CacheGauges(IFusionCache cache, L1Cache l1, IServiceProvider services, ScalegramMetrics metrics, ILogger<CacheGauges> logger)
    {
        _cache = cache;
        _l1 = l1;
        _redis = services.GetService<RedisConnection>();
        _logger = logger;
        var meter = metrics.Meter;
        _levelRequests = meter.CreateCounter<long>("scalegram.cache.level.requests", "{request}", "Cache lookups by level (l1 = this process, l2 = Redis) and result (hit, stale, miss).");
        meter.CreateObservableGauge("scalegram.cache.l1.entries", () => _l1.Memory.GetCurrentStatistics()?.CurrentEntryCount ?? _l1.Memory.Count, "{entry}", "Entries in this node's memory cache (L1).");
        meter.CreateObservableGauge("scalegram.cache.l1.size", () => _l1.Memory.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0, "{entry}", "Size units used in L1 (each entry counts 1).");
        meter.CreateObservableGauge("scalegram.cache.l1.size_limit", () => _l1.SizeLimit, "{entry}", "Caching:L1SizeLimit: past it L1 compacts its least used entries away.");
        meter.CreateObservableGauge("scalegram.cache.redis.used_memory", () => Redis(m => m.UsedMemory), "By", "Memory the cache Redis uses (INFO used_memory).");
        meter.CreateObservableGauge("scalegram.cache.redis.maxmemory", () => Redis(m => m.MaxMemory), "By", "The cache Redis's maxmemory (0 = unbounded).");
        meter.CreateObservableGauge("scalegram.cache.redis.evicted_keys", () => Redis(m => m.EvictedKeys), "{key}", "Keys the cache Redis evicted to stay under maxmemory since it started (INFO evicted_keys).");
    }

    /// <summary>The last figures read from Redis; null without Redis or while INFO fails.</summary>
    public RedisMemory? LatestRedis => _redisMemory;

    public L1Cache L1 => _l1;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _cache.Events.Memory.Hit += OnMemoryHit;
        _cache.Events.Memory.Miss += OnMemoryMiss;
        _cache.Events.Distributed.Hit += OnDistributedHit;
        _cache.Events.Distributed.Miss += OnDistributedMiss;
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _cache.Events.Memory.Hit -= OnMemoryHit;
        _cache.Events.Memory.Miss -= OnMemoryMiss;
        _cache.Events.Distributed.Hit -= OnDistributedHit;
        _cache.Events.Distributed.Miss -= OnDistributedMiss;
        return base.StopAsync(cancellationToken);
    }

    /// <summary>One read of Redis INFO (the loop calls this every period; tests call it directly).</summary>
    internal async Task RefreshAsync(CancellationToken ct)
    {
        if (_redis is null)
        {
            return;
        }

        try
        {
            var server = _redis.Multiplexer.GetServers().FirstOrDefault(s => s.IsConnected && !s.IsReplica)
                ?? throw new StackExchange.Redis.RedisConnectionException(StackExchange.Redis.ConnectionFailureType.UnableToConnect, "no connected Redis primary");
            var info = (await server.InfoAsync().WaitAsync(ct)).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            _redisMemory = new RedisMemory(Number(info, "used_memory"), Number(info, "maxmemory"), Number(info, "evicted_keys"), info.GetValueOrDefault("maxmemory_policy", ""));
            if (_failing)
            {
                _failing = false;
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _redisMemory = null;
            if (!_failing)
            {
                _failing = true;
                Log.RedisInfoUnavailable(_logger, e);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_redis is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(Period);
        try
        {
            do
            {
                await RefreshAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static long Number(Dictionary<string, string> info, string key) =>
        info.TryGetValue(key, out var value) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private IEnumerable<Measurement<long>> Redis(Func<RedisMemory, long> figure) =>
        _redisMemory is { } m ? [new Measurement<long>(figure(m), new KeyValuePair<string, object?>("policy", m.Policy))] : [];

    private void OnMemoryHit(object? sender, FusionCacheEntryHitEventArgs e) => Count("l1", e.IsStale ? "stale" : "hit");

    private void OnMemoryMiss(object? sender, FusionCacheEntryEventArgs e) => Count("l1", "miss");

    private void OnDistributedHit(object? sender, FusionCacheEntryHitEventArgs e) => Count("l2", e.IsStale ? "stale" : "hit");

    private void OnDistributedMiss(object? sender, FusionCacheEntryEventArgs e) => Count("l2", "miss");

    private void Count(string level, string result) => _levelRequests.Add(1, new("level", level), new("result", result));
}

/// <summary>The cache Redis's memory figures from INFO.</summary>
internal sealed record RedisMemory(long UsedMemory, long MaxMemory, long EvictedKeys, string Policy);
