using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Caching;
using Scalegram.Data;
using Scalegram.Photos;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Caching;

/// <summary>
/// Likes on a hot photo: a burst of 1,000 concurrent likes from distinct users lands on several counter rows
/// (not one), the count everyone sees is exactly 1,000 once the burst is flushed, likes are idempotent and
/// unlikes count down.
/// </summary>
[Collection(HeavyCollection.Name)]
public class HotLikeTests : ApiTestBase
{
    // The test flushes the refresh itself, so the background one must not run in between.
    protected override string[] Settings => ["--Caching:CounterFlushInterval=00:01:00"];

    [Fact]
    public async Task A_thousand_concurrent_likes_count_exactly_a_thousand_once_flushed()
    {
        using var owner = await ApiClient.NewUserAsync(Server, "hot");
        using var anonymous = Server.CreateClient();
        var id = (await ApiClient.UploadReadyAsync(owner, TestImages.Jpeg(100, 100))).GetProperty("id").GetString()!;
        var photoId = long.Parse(id, CultureInfo.InvariantCulture);
        var service = Server.Services.GetRequiredService<PhotoService>();
        var refresh = Server.Services.GetRequiredService<CounterRefresh>();
        Assert.Equal(0, await LikesAsync(anonymous, id)); // cached from here on

        // 1,000 distinct users like at once; 200 of them press twice (idempotent).
        var fans = Enumerable.Range(1, 1_000).Select(i => 9_000_000L + i).ToArray();
        await Parallel.ForEachAsync(fans.Concat(fans.Take(200)), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (fan, ct) =>
            Assert.True(await service.LikeAsync(photoId, fan, like: true, ct)));
        await refresh.FlushAsync(CancellationToken.None);

        Assert.Equal(1_000, await LikesAsync(anonymous, id));
        Assert.True(await CounterRowsAsync(photoId) > 1, "the likes should be spread over several counter rows, not one hot row");

        // 100 unlike, 10 of them twice; the rest of the burst is flushed again.
        await Parallel.ForEachAsync(fans.Take(100).Concat(fans.Take(10)), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (fan, ct) =>
            Assert.True(await service.LikeAsync(photoId, fan, like: false, ct)));
        await refresh.FlushAsync(CancellationToken.None);

        Assert.Equal(900, await LikesAsync(anonymous, id));
        Assert.Equal(0, refresh.Pending);
    }

    [Fact]
    public async Task A_single_like_shows_at_once_without_waiting_for_a_flush()
    {
        using var owner = await ApiClient.NewUserAsync(Server, "once");
        using var fan = await ApiClient.NewUserAsync(Server, "fan");
        using var anonymous = Server.CreateClient();
        var id = (await ApiClient.UploadReadyAsync(owner, TestImages.Jpeg(100, 100))).GetProperty("id").GetString()!;
        Assert.Equal(0, await LikesAsync(anonymous, id));

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await fan.PutAsync($"/api/photos/{id}/like", null)).StatusCode);

        Assert.Equal(1, await LikesAsync(anonymous, id));
    }

    private static async Task<long> LikesAsync(HttpClient client, string id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/photos/{id}")).GetProperty("likes").GetInt64();

    private async Task<long> CounterRowsAsync(long photoId)
    {
        var db = Server.Services.GetRequiredService<Database>();
        await using var connection = await db.ForId(photoId).Primary.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM like_counters WHERE photo_id = @photoId", new { photoId });
    }
}

/// <summary>The same on PostgreSQL, where the counter rows really spread row-lock contention.</summary>
[Collection(HeavyCollection.Name)]
public sealed class HotLikeTestsOnPostgres : HotLikeTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
