using System.Diagnostics.Metrics;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scalegram.Caching;
using Scalegram.Observability;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace Scalegram.Tests.Caching;

/// <summary>An <see cref="EntityCache"/> on FusionCache set up exactly as the cache tier sets it up from Caching:*, optionally over an L2.</summary>
internal sealed class CacheUnderTest : IDisposable
{
    private readonly ServiceProvider _services;

    public CacheUnderTest(CachingOptions settings, IDistributedCache? l2 = null)
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        L1 = new L1Cache(settings.L1SizeLimit);
        var options = new FusionCacheOptions();
        CachingTier.Apply(settings, options.DefaultEntryOptions);
        Fusion = new FusionCache(options, L1.Memory);
        if (l2 is not null)
        {
            Fusion.SetupDistributedCache(l2, new FusionCacheSystemTextJsonSerializer());
        }

        Cache = new EntityCache(Fusion, Options.Create(settings), new ScalegramMetrics(_services.GetRequiredService<IMeterFactory>()));
    }

    public L1Cache L1 { get; }

    public FusionCache Fusion { get; }

    public EntityCache Cache { get; }

    public void Dispose()
    {
        Fusion.Dispose();
        L1.Dispose();
        _services.Dispose();
    }
}

/// <summary>A store stand-in that counts its calls and can be made slow or failing.</summary>
internal sealed class CountingStore
{
    private long _calls;

    public long Calls => Interlocked.Read(ref _calls);

    public string Value { get; set; } = "v1";

    public TimeSpan Delay { get; set; }

    public bool Failing { get; set; }

    public async Task<string?> LoadAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref _calls);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, ct);
        }

        return Failing ? throw new TimeoutException("the database did not answer") : Value;
    }
}

/// <summary>An L2 stand-in (in memory) that counts the reads reaching it.</summary>
internal sealed class CountingDistributedCache : IDistributedCache
{
    private readonly MemoryDistributedCache _inner = new(Options.Create(new MemoryDistributedCacheOptions()));
    private long _reads;

    public long Reads => Interlocked.Read(ref _reads);

    public byte[]? Get(string key)
    {
        Interlocked.Increment(ref _reads);
        return _inner.Get(key);
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        Interlocked.Increment(ref _reads);
        return _inner.GetAsync(key, token);
    }

    public void Refresh(string key) => _inner.Refresh(key);

    public Task RefreshAsync(string key, CancellationToken token = default) => _inner.RefreshAsync(key, token);

    public void Remove(string key) => _inner.Remove(key);

    public Task RemoveAsync(string key, CancellationToken token = default) => _inner.RemoveAsync(key, token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => _inner.Set(key, value, options);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => _inner.SetAsync(key, value, options, token);
}
