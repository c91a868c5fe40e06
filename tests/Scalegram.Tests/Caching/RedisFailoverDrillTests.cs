using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Caching;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Scalegram.Tests.Caching;

/// <summary>
/// Drill: kill -9 of the cache Redis primary under load, with Sentinel. No request fails (reads fall back to
/// the database while Redis is away, writes' invalidations are skipped and re-sent), the node follows the
/// failover to the promoted replica by itself, and the cache refills there. Failover time is printed.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class RedisFailoverDrillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_the_Redis_primary_under_load_fails_no_request_and_the_cache_refills_on_the_promoted_replica()
    {
        var redis = await RedisSentinels.StartAsync();
        try
        {
            var connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("sentinel");
            await using var node = await TestServer.StartAsync(settings: [.. TestEngines.PostgresSettings(connectionString), .. redis.Settings, "--Redis:KeyPrefix=drill:"]);
            using var alice = await ApiClient.SignedInAsync(node, "alice");
            using var anonymous = node.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/users/alice")).StatusCode);

            using var stop = new CancellationTokenSource();
            long ok = 0, failed = 0, writes = 0;
            var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, long>();
            async Task LoadAsync(HttpClient client, bool write)
            {
                var i = 0;
                while (!stop.IsCancellationRequested)
                {
                    HttpResponseMessage response;
                    try
                    {
                        response = write && ++i % 10 == 0
                            ? await client.PatchAsJsonAsync("/api/me", new { displayName = $"Alice {i}" })
                            : await client.GetAsync("/api/users/alice");
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref failed);
                        continue;
                    }

                    statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                    Interlocked.Increment(ref (int)response.StatusCode >= 500 ? ref failed : ref ok);
                    if (write && i % 10 == 0)
                    {
                        Interlocked.Increment(ref writes);
                    }
                }
            }

            var load = Enumerable.Range(0, 6).Select(i => Task.Run(() => LoadAsync(i == 0 ? alice : anonymous, write: i == 0))).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(2));

            var clock = Stopwatch.StartNew();
            redis.Primary.Crash();
            await WaitAsync(() => SentinelSaysPrimaryIsAsync(redis, redis.ReplicaPort), TimeSpan.FromSeconds(60));
            var promoted = clock.Elapsed;
            var connection = node.Services.GetRequiredService<RedisConnection>();
            await WaitAsync(() => WritesReachAsync(connection, redis.ReplicaPort), TimeSpan.FromSeconds(60));
            var followed = clock.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(3)); // load keeps running on the new primary
            await stop.CancelAsync();
            await Task.WhenAll(load);

            output.WriteLine($"sentinels promoted the replica {promoted.TotalSeconds:F2} s after kill -9; the node wrote to it after {followed.TotalSeconds:F2} s");
            output.WriteLine($"requests: {ok} ok, {failed} failed (5xx or connection errors), {writes} writes; by status: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}"))}");
            Console.WriteLine($"[redis-failover drill] promoted after {promoted.TotalSeconds:F2} s, node followed after {followed.TotalSeconds:F2} s, {ok} ok, {failed} failed");

            Assert.Equal(0, failed);
            Assert.True(ok > 100, $"only {ok} requests ran: the load did not really run through the failover");

            // The cache refills on the new primary: the profile's L2 entry is written there again.
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/users/alice")).StatusCode);
            var server = connection.Multiplexer.GetServer("127.0.0.1", redis.ReplicaPort);
            Assert.False(server.IsReplica);
            var refilled = await WaitAsync(() => Task.FromResult(server.Keys(pattern: "*drill:cache:*").Any()), TimeSpan.FromSeconds(30));
            output.WriteLine($"L2 refilled on the new primary {refilled.TotalSeconds:F2} s after the load stopped");
        }
        finally
        {
            redis.Stop();
        }
    }

    private static async Task<bool> SentinelSaysPrimaryIsAsync(RedisSentinels redis, int port)
    {
        using var sentinel = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { { "127.0.0.1", redis.SentinelPorts[0] } }, CommandMap = CommandMap.Sentinel, AbortOnConnectFail = false });
        var address = await sentinel.GetServer("127.0.0.1", redis.SentinelPorts[0]).SentinelGetMasterAddressByNameAsync(RedisSentinels.ServiceName);
        return address is System.Net.IPEndPoint ip && ip.Port == port;
    }

    private static async Task<bool> WritesReachAsync(RedisConnection connection, int port)
    {
        try
        {
            await connection.Database.StringSetAsync("drill:probe", "1");
            return connection.Multiplexer.GetServers().Any(s => s.EndPoint is System.Net.IPEndPoint ip && ip.Port == port && s.IsConnected && !s.IsReplica);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return false;
        }
    }

    private static async Task<TimeSpan> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, $"still not so after {timeout.TotalSeconds} s");
            await Task.Delay(50);
        }

        return clock.Elapsed;
    }
}
