using System.Net;
using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Cdn;

/// <summary>Origin down: the edge keeps serving what it has, even past its TTL (grace, stale-if-error).</summary>
public sealed class EdgeGraceTests
{
    [Fact]
    public async Task Expired_media_is_served_stale_while_the_origin_is_down()
    {
        var origin = await FakeOrigin.StartAsync();
        // A 1 s TTL so the object is expired by the time we ask; the grace keeps it for an hour.
        await using var edge = await VarnishServer.StartAsync(origin.Port, mediaTtl: "1s", grace: "1h");
        using var client = new HttpClient { BaseAddress = edge.BaseAddress };
        using (var first = await client.GetAsync("/media/p/9/large-abc.jpg"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await origin.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // past the TTL, and long enough for the probe to mark the origin sick

        using var stale = await client.GetAsync("/media/p/9/large-abc.jpg");
        using var uncached = await client.GetAsync("/media/p/9/never-fetched.jpg");

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(FakeOrigin.Image, await stale.Content.ReadAsByteArrayAsync());
        Assert.True(stale.Headers.Age > TimeSpan.FromSeconds(1), $"Age {stale.Headers.Age} should exceed the 1 s TTL: the object is stale");
        // The origin really is gone: what the edge does not hold fails.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, uncached.StatusCode);
    }
}
