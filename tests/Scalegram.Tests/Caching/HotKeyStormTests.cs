using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Observability;
using Scalegram.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scalegram.Tests.Caching;

/// <summary>
/// Drill: one photo read as fast as the machine allows, in two rounds, the second four times longer. The
/// database calls do not grow with the reads: the warm key is served from L1, at most a constant per round.
/// The node's background work (the embedded queue polls its table) also opens connections, at a rate set by
/// time, not by reads: each round is compared with an idle stretch of the same length right after it.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class HotKeyStormTests(ITestOutputHelper output) : ApiTestBase
{
    [Fact]
    public async Task A_storm_on_one_photo_does_not_grow_the_database_calls()
    {
        using var owner = await ApiClient.NewUserAsync(Server, "celebrity");
        var id = (await ApiClient.UploadReadyAsync(owner, TestImages.Jpeg(100, 100))).GetProperty("id").GetString()!;
        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/photos/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/photos/{id}")).StatusCode);

        var small = await StormAsync(anonymous, id, 2_000);
        var large = await StormAsync(anonymous, id, 8_000);
        output.WriteLine($"2,000 reads: {small.Storm} DB calls ({small.Idle} idle over as long); 8,000 reads: {large.Storm} ({large.Idle} idle)");

        // A call per read would be 2,000 and 8,000 more than idle; from L1 it is a handful at most, whatever the reads.
        Assert.True(small.Storm - small.Idle <= 5, $"{small.Storm} DB calls during 2,000 reads against {small.Idle} idle");
        Assert.True(large.Storm - large.Idle <= 5, $"{large.Storm} DB calls during 8,000 reads against {large.Idle} idle");
    }

    private async Task<(long Storm, long Idle)> StormAsync(HttpClient client, string id, int reads)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long storm;
        using (var calls = new DbCallCounter(Server))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, reads), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/photos/{id}", ct)).StatusCode));
            storm = calls.Count;
        }

        var elapsed = clock.Elapsed;
        using var idle = new DbCallCounter(Server);
        await Task.Delay(elapsed);
        return (storm, idle.Count);
    }

    /// <summary>Counts one node's connections opened (scalegram.db.calls), i.e. its store calls.</summary>
    private sealed class DbCallCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public DbCallCounter(TestServer node)
        {
            var meter = node.Services.GetRequiredService<ScalegramMetrics>().Meter;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter == meter && instrument.Name == "scalegram.db.calls")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
