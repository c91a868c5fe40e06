using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Data;
using Scalegram.Storage;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Privacy;

namespace Scalegram.Tests.Accounts.Deletion;

/// <summary>
/// A victim whose account is about to be deleted, with everything an account can leave behind: photos (with
/// blobs), likes and comments given and received, follows both ways, a follow request made and one received,
/// a private setting, an Idempotency-Key'd request; and a friend on the other store, so all of it spans two stores.
/// </summary>
internal sealed class DeletionWorld : IDisposable
{
    public required HttpClient Victim { get; init; }

    public required HttpClient Friend { get; init; }

    public required HttpClient Fan { get; init; }

    public required string VictimName { get; init; }

    public required long VictimId { get; init; }

    public required IReadOnlyList<long> VictimPhotos { get; init; }

    public required string FriendPhoto { get; init; }

    public required string FanPhoto { get; init; }

    public static async Task<DeletionWorld> CreateAsync(TestServer server)
    {
        var db = server.Services.GetRequiredService<Database>();
        Assert.True(db.Stores.Count >= 2, "the deletion tests need two stores");
        var victim = await ApiClient.NewUserAsync(server, "vic");
        var victimId = await IdAsync(victim);

        // The friend lives on the other store, so edges, likes and comments cross stores.
        HttpClient? friend = null;
        for (var i = 0; i < 64 && friend is null; i++)
        {
            var candidate = await ApiClient.NewUserAsync(server, "fri");
            if (db.ForId(await IdAsync(candidate)) != db.ForId(victimId))
            {
                friend = candidate;
            }
            else
            {
                candidate.Dispose();
            }
        }

        Assert.NotNull(friend);
        var fan = await ApiClient.NewUserAsync(server, "fan");
        using var locked = await ApiClient.NewUserAsync(server, "prv");
        using var requester = await ApiClient.NewUserAsync(server, "req");
        var victimName = await ApiClient.UsernameAsync(victim);
        var friendName = await ApiClient.UsernameAsync(friend);
        var fanName = await ApiClient.UsernameAsync(fan);

        var photos = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            photos.Add(long.Parse((await ApiClient.UploadReadyAsync(victim, TestImages.Jpeg(120 + i, 90))).GetProperty("id").GetString()!, CultureInfo.InvariantCulture));
        }

        var friendPhoto = (await ApiClient.UploadReadyAsync(friend, TestImages.Jpeg(100, 100))).GetProperty("id").GetString()!;
        var fanPhoto = (await ApiClient.UploadReadyAsync(fan, TestImages.Jpeg(100, 100))).GetProperty("id").GetString()!;

        Ok(await victim.PutAsync($"/api/me/following/{friendName}", null));
        Ok(await friend.PutAsync($"/api/me/following/{victimName}", null));
        Ok(await fan.PutAsync($"/api/me/following/{victimName}", null));

        Ok(await victim.PutAsync($"/api/photos/{friendPhoto}/like", null));
        Ok(await victim.PutAsync($"/api/photos/{fanPhoto}/like", null));
        Ok(await fan.PutAsync($"/api/photos/{friendPhoto}/like", null));
        Ok(await friend.PutAsync($"/api/photos/{photos[0]}/like", null));

        using (var keyed = new HttpRequestMessage(HttpMethod.Post, $"/api/photos/{friendPhoto}/comments") { Content = JsonContent.Create(new { text = "nice one" }) })
        {
            keyed.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            Ok(await victim.SendAsync(keyed));
        }

        Ok(await fan.PostAsJsonAsync($"/api/photos/{friendPhoto}/comments", new { text = "me too" }));
        Ok(await friend.PostAsJsonAsync($"/api/photos/{photos[0]}/comments", new { text = "lovely" }));
        Ok(await victim.PostAsJsonAsync($"/api/photos/{photos[1]}/comments", new { text = "my own" }));

        // A request the victim made (on the private account's store) and one it received (on its own).
        await PrivateCast.SetPrivateAsync(locked, true);
        Ok(await victim.PutAsync($"/api/me/following/{await ApiClient.UsernameAsync(locked)}", null));
        await PrivateCast.SetPrivateAsync(victim, true);
        Ok(await requester.PutAsync($"/api/me/following/{victimName}", null));

        var world = new DeletionWorld
        {
            Victim = victim,
            Friend = friend,
            Fan = fan,
            VictimName = victimName,
            VictimId = victimId,
            VictimPhotos = photos,
            FriendPhoto = friendPhoto,
            FanPhoto = fanPhoto,
        };

        // Fan-out and the follow mirrors run in the background: wait until the followers' feeds show the victim.
        await Eventually(async () => (await FeedIdsAsync(friend)).Intersect(photos).Count() == 3 && (await FeedIdsAsync(fan)).Intersect(photos).Count() == 3);
        Assert.Equal(2, (await fan.GetFromJsonAsync<JsonElement>($"/api/users/{victimName}")).GetProperty("followers").GetInt64());
        Assert.All(await world.RowsAsync(server), r => Assert.True(r.Value > 0, $"the world has no {r.Key} to delete"));
        return world;
    }

    /// <summary>Every row (and blob file) anywhere that is about the victim, by table, counted directly in every store.</summary>
    public async Task<IReadOnlyDictionary<string, long>> RowsAsync(TestServer server)
    {
        var db = server.Services.GetRequiredService<Database>();
        var id = VictimId;
        var photos = VictimPhotos.ToArray();
        var scope = $"user:{id}";
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var store in db.Stores)
        {
            var inPhotos = store.Dialect.MatchesAny("@photos");
            var queries = new Dictionary<string, string>
            {
                ["users"] = "SELECT COUNT(*) FROM users WHERE id = @id",
                ["photos"] = "SELECT COUNT(*) FROM photos WHERE owner_id = @id",
                ["likes"] = $"SELECT COUNT(*) FROM likes WHERE user_id = @id OR photo_id {inPhotos}",
                ["comments"] = $"SELECT COUNT(*) FROM comments WHERE author_id = @id OR photo_id {inPhotos}",
                ["following"] = "SELECT COUNT(*) FROM following WHERE user_id = @id OR followee_id = @id",
                ["followers"] = "SELECT COUNT(*) FROM followers WHERE user_id = @id OR follower_id = @id",
                ["follow_requests"] = "SELECT COUNT(*) FROM follow_requests WHERE user_id = @id OR requester_id = @id",
                ["timeline"] = $"SELECT COUNT(*) FROM timeline WHERE user_id = @id OR owner_id = @id OR photo_id {inPhotos}",
                ["account_privacy"] = "SELECT COUNT(*) FROM account_privacy WHERE user_id = @id",
                ["sessions"] = "SELECT COUNT(*) FROM sessions WHERE user_id = @id",
                ["idempotency_keys"] = "SELECT COUNT(*) FROM idempotency_keys WHERE scope = @scope",
                ["write_keys"] = "SELECT COUNT(*) FROM write_keys WHERE scope LIKE @prefix",
            };
            await using var connection = await store.Primary.OpenAsync(CancellationToken.None);
            foreach (var (table, sql) in queries)
            {
                counts[table] = counts.GetValueOrDefault(table) + await connection.ExecuteScalarAsync<long>(sql, new { id, photos, scope, prefix = scope + " %" });
            }
        }

        counts["photo blobs"] = BlobFiles(server).Count;
        return counts;
    }

    /// <summary>The victim's blob files on disk: originals and every variant.</summary>
    public IReadOnlyList<string> BlobFiles(TestServer server)
    {
        var root = ((LocalBlobStore)server.Services.GetRequiredService<IBlobStore>()).Root;
        var files = new List<string>();
        foreach (var photo in VictimPhotos)
        {
            var originals = Path.Combine(root, "originals");
            if (Directory.Exists(originals))
            {
                files.AddRange(Directory.EnumerateFiles(originals, $"{photo}-*"));
            }

            var variants = Path.Combine(root, "p", photo.ToString(CultureInfo.InvariantCulture));
            if (Directory.Exists(variants))
            {
                files.AddRange(Directory.EnumerateFiles(variants));
            }
        }

        return files;
    }

    public static async Task<IReadOnlyList<long>> FeedIdsAsync(HttpClient client) =>
        [.. (await client.GetFromJsonAsync<JsonElement>("/api/feed")).GetProperty("items").EnumerateArray()
            .Select(p => long.Parse(p.GetProperty("id").GetString()!, CultureInfo.InvariantCulture))];

    public static async Task<long> IdAsync(HttpClient client) =>
        long.Parse((await client.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString()!, CultureInfo.InvariantCulture);

    public static async Task<long> LikesAsync(HttpClient client, string photoId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/photos/{photoId}")).GetProperty("likes").GetInt64();

    public static async Task<HttpResponseMessage> DeleteAccountAsync(HttpClient client, string? password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(new { password }) };
        return await client.SendAsync(request);
    }

    /// <summary>Polls until the condition holds (a background job's effect); fails after a minute.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string? what = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what ?? "the background jobs"}");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        Victim.Dispose();
        Friend.Dispose();
        Fan.Dispose();
    }

    private static void Ok(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}");
        }
    }
}
