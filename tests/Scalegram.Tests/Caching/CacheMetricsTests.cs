using System.Net;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Caching;

/// <summary>/metrics shows what sizing the cache needs: L1 entries and limit, lookups by level, the cache Redis's memory, maxmemory and evictions.</summary>
[Collection(nameof(Api.OperationsEndpointTests))]
public sealed class CacheMetricsTests
{
    [Fact]
    public async Task Metrics_show_L1_size_lookups_by_level_and_Redis_memory()
    {
        var redis = await RedisServer.SharedAsync();
        var connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("cachemetrics");
        await using var node = await TestServer.StartAsync(settings: [.. TestEngines.PostgresSettings(connectionString), .. TestEngines.RedisSettings(redis), "--Redis:KeyPrefix=metrics:", "--Caching:L1SizeLimit=5000"]);
        using var user = await ApiClient.SignedInAsync(node, "sizer");
        using var client = node.CreateClient();
        await client.GetAsync("/api/users/sizer");
        await client.GetAsync("/api/users/sizer");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        string text;
        do
        {
            var response = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            await Task.Delay(200);
        }
        while (!text.Contains("scalegram_cache_redis_used_memory", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        Assert.Contains("scalegram_cache_l1_entries", text);
        Assert.Contains("scalegram_cache_l1_size_limit", text);
        Assert.Contains(" 5000", text[text.IndexOf("scalegram_cache_l1_size_limit", StringComparison.Ordinal)..]);
        Assert.Contains("scalegram_cache_level_requests", text);
        Assert.Contains("level=\"l1\"", text);
        Assert.Contains("scalegram_cache_redis_used_memory", text);
        Assert.Contains("scalegram_cache_redis_maxmemory", text);
        Assert.Contains("scalegram_cache_redis_evicted_keys", text);
    }
}
