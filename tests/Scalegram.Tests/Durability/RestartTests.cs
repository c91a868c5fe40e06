using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Durability;

/// <summary>Stops a node and starts a new one on the same data directory: everything a user did is still there.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "scalegram-restart-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Accounts_sessions_photos_follows_likes_and_comments_survive_a_restart()
    {
        string aliceName, bobName, aliceToken, bobToken, photoId;
        await using (var first = await TestServer.StartAsync(dataDir: _dataDir))
        {
            aliceName = ApiClient.NewName("alice");
            bobName = ApiClient.NewName("bob");
            using var alice = await ApiClient.SignedInAsync(first, aliceName);
            using var bob = await ApiClient.SignedInAsync(first, bobName);
            aliceToken = alice.DefaultRequestHeaders.Authorization!.Parameter!;
            bobToken = bob.DefaultRequestHeaders.Authorization!.Parameter!;
            photoId = (await ApiClient.UploadReadyAsync(alice, TestImages.Jpeg(400, 300), caption: "before restart")).GetProperty("id").GetString()!;
            Assert.Equal(HttpStatusCode.NoContent, (await bob.PutAsync($"/api/me/following/{aliceName}", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await bob.PutAsync($"/api/photos/{photoId}/like", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await bob.PostAsJsonAsync($"/api/photos/{photoId}/comments", new { text = "nice" })).StatusCode);
        }

        await using var second = await TestServer.StartAsync(dataDir: _dataDir);
        using var aliceAgain = second.CreateClient(aliceToken);
        using var bobAgain = second.CreateClient(bobToken);

        Assert.Equal(aliceName, await ApiClient.UsernameAsync(aliceAgain));
        Assert.Equal(bobName, await ApiClient.UsernameAsync(bobAgain));
        using (var anonymous = second.CreateClient())
        {
            Assert.NotEmpty(await ApiClient.TokenAsync(anonymous, aliceName));
        }

        var photo = await bobAgain.GetFromJsonAsync<JsonElement>($"/api/photos/{photoId}");
        Assert.Equal("ready", photo.GetProperty("status").GetString());
        Assert.Equal("before restart", photo.GetProperty("caption").GetString());
        Assert.Equal(1, photo.GetProperty("likes").GetInt64());
        Assert.True(photo.GetProperty("likedByMe").GetBoolean());
        Assert.Equal(1, photo.GetProperty("comments").GetInt64());
        var comments = await bobAgain.GetFromJsonAsync<JsonElement>($"/api/photos/{photoId}/comments");
        Assert.Equal("nice", comments.GetProperty("items")[0].GetProperty("text").GetString());
        using var media = second.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await media.GetAsync(photo.GetProperty("variants")[0].GetProperty("url").GetString())).StatusCode);

        var profile = await bobAgain.GetFromJsonAsync<JsonElement>($"/api/users/{aliceName}");
        Assert.Equal(1, profile.GetProperty("followers").GetInt64());
        Assert.Equal(1, profile.GetProperty("photos").GetInt64());
        Assert.True(profile.GetProperty("followedByMe").GetBoolean());

        // The follow's timeline backfill is a job: accepted before the restart, it may run only after it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var feed = await bobAgain.GetFromJsonAsync<JsonElement>("/api/feed");
            if (feed.GetProperty("items").EnumerateArray().Any(p => p.GetProperty("id").GetString() == photoId))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the followed user's photo never reached the feed after the restart");
            await Task.Delay(100);
        }
    }
}
