using Scalegram.Caching;

namespace Scalegram.Tests.Caching;

/// <summary>The read-through cache as configured by Caching:*: one load per cold key, fail-safe, hot keys from L1, a bounded L1.</summary>
public sealed class ReadThroughTests
{
    [Fact]
    public async Task Fifty_concurrent_reads_of_a_cold_key_make_exactly_one_store_call()
    {
        using var cache = new CacheUnderTest(new CachingOptions());
        var store = new CountingStore { Delay = TimeSpan.FromMilliseconds(200) };
        using var start = new ManualResetEventSlim();

        var reads = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await cache.Cache.GetOrLoadAsync("photo:1", store.LoadAsync, CancellationToken.None);
        })).ToArray();
        start.Set();
        var values = await Task.WhenAll(reads);

        Assert.Equal(1, store.Calls);
        Assert.All(values, v => Assert.Equal("v1", v));
    }

    [Fact]
    public async Task A_failing_store_serves_the_last_value_and_is_not_retried_within_the_throttle()
    {
        using var cache = new CacheUnderTest(new CachingOptions { FailSafeThrottle = TimeSpan.FromMinutes(1) });
        var store = new CountingStore();
        Assert.Equal("v1", await cache.Cache.GetOrLoadAsync("user:1", store.LoadAsync, CancellationToken.None));

        // The entry's lifetime is over (as after Caching:Duration) but fail-safe keeps its value.
        await cache.Fusion.ExpireAsync("user:1");
        store.Failing = true;
        store.Value = "v2";

        Assert.Equal("v1", await cache.Cache.GetOrLoadAsync("user:1", store.LoadAsync, CancellationToken.None));
        Assert.Equal(2, store.Calls);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("v1", await cache.Cache.GetOrLoadAsync("user:1", store.LoadAsync, CancellationToken.None));
        }

        Assert.Equal(2, store.Calls); // throttled: the database is not hammered while it is down
    }

    [Fact]
    public async Task A_store_slower_than_the_soft_timeout_serves_the_last_value_and_the_load_finishes_in_the_background()
    {
        using var cache = new CacheUnderTest(new CachingOptions { LoadSoftTimeout = TimeSpan.FromMilliseconds(50) });
        var store = new CountingStore();
        Assert.Equal("v1", await cache.Cache.GetOrLoadAsync("photo:2", store.LoadAsync, CancellationToken.None));
        await cache.Fusion.ExpireAsync("photo:2");
        store.Delay = TimeSpan.FromMilliseconds(500);
        store.Value = "v2";

        Assert.Equal("v1", await cache.Cache.GetOrLoadAsync("photo:2", store.LoadAsync, CancellationToken.None));

        // The slow load completes anyway and refills the entry.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await cache.Fusion.TryGetAsync<string?>("photo:2") is not { HasValue: true, Value: "v2" } && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal("v2", (await cache.Fusion.TryGetAsync<string?>("photo:2")).Value);
    }

    [Fact]
    public async Task Fail_safe_is_bounded_by_its_max_duration()
    {
        using var cache = new CacheUnderTest(new CachingOptions { Duration = TimeSpan.FromSeconds(1), Jitter = TimeSpan.Zero, FailSafeMaxDuration = TimeSpan.FromSeconds(1) });
        var store = new CountingStore();
        Assert.Equal("v1", await cache.Cache.GetOrLoadAsync("user:2", store.LoadAsync, CancellationToken.None));
        store.Failing = true;

        // Past FailSafeMaxDuration the stale value is gone: the failure shows instead of a value of any age.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await Assert.ThrowsAsync<TimeoutException>(() => cache.Cache.GetOrLoadAsync("user:2", store.LoadAsync, CancellationToken.None));
    }

    [Fact]
    public async Task A_warm_hot_key_read_ten_thousand_times_costs_no_store_call_and_no_L2_read()
    {
        var l2 = new CountingDistributedCache();
        using var cache = new CacheUnderTest(new CachingOptions(), l2);
        var store = new CountingStore();
        // Two reads warm it: the first fills the key, the second also loads FusionCache's own clear markers once.
        Assert.Equal("v1", await cache.Cache.GetOrLoadAsync("photo:celebrity", store.LoadAsync, CancellationToken.None));
        Assert.Equal("v1", await cache.Cache.GetOrLoadAsync("photo:celebrity", store.LoadAsync, CancellationToken.None));
        var l2ReadsToWarm = l2.Reads;

        await Parallel.ForEachAsync(Enumerable.Range(0, 10_000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
            Assert.Equal("v1", await cache.Cache.GetOrLoadAsync("photo:celebrity", store.LoadAsync, ct)));

        Assert.Equal(1, store.Calls);
        Assert.Equal(l2ReadsToWarm, l2.Reads); // every one of the 10,000 came from L1
    }

    [Fact]
    public async Task L1_never_holds_more_entries_than_its_size_limit()
    {
        using var cache = new CacheUnderTest(new CachingOptions { L1SizeLimit = 100 });
        var store = new CountingStore();
        for (var i = 0; i < 1_000; i++)
        {
            await cache.Cache.GetOrLoadAsync($"photo:{i}", store.LoadAsync, CancellationToken.None);
            Assert.True(cache.L1.Memory.Count <= 100, $"L1 holds {cache.L1.Memory.Count} entries, over its limit of 100");
        }

        Assert.True(cache.L1.Memory.Count > 0);
    }

    [Fact]
    public async Task A_key_read_late_in_its_life_is_refreshed_in_the_background_before_it_expires()
    {
        using var cache = new CacheUnderTest(new CachingOptions { Duration = TimeSpan.FromSeconds(10), Jitter = TimeSpan.Zero, EagerRefreshThreshold = 0.5 });
        var store = new CountingStore();
        Assert.Equal("v1", await cache.Cache.GetOrLoadAsync("user:3", store.LoadAsync, CancellationToken.None));
        store.Value = "v2";

        // Read past half its life (and well before its end, even on a busy machine): the reader gets the
        // current value at once and a refresh starts behind it.
        await Task.Delay(TimeSpan.FromSeconds(5.5));
        Assert.Equal("v1", await cache.Cache.GetOrLoadAsync("user:3", store.LoadAsync, CancellationToken.None));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (store.Calls < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(2, store.Calls);
    }
}
