using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Replication;

/// <summary>
/// The cache is never filled from a standby with data older than the write that invalidated the entry: with a
/// standby replaying 4 s behind (and MaxReplicaLag above that, so it keeps serving reads), a profile edit, a
/// photo turning ready, a like and a photo posted after a follow are all seen at once by other users, and so
/// never cached stale for the entry's lifetime. Each read here comes from someone who did not make the write,
/// so read-your-writes does not hide a stale fill.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class CacheFillTests : IAsyncLifetime
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(4);
    private ReplicatedNode _nodes = null!;

    public async Task InitializeAsync() => _nodes = await ReplicatedNode.StartAsync(Delay, TimeSpan.FromMinutes(1));

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task A_profile_edit_is_what_the_next_reader_gets_and_what_stays_cached()
    {
        using var alice = await ApiClient.NewUserAsync(_nodes.Server, "al");
        await _nodes.Replica.CatchUpAsync(TimeSpan.FromSeconds(30));
        var name = await ApiClient.UsernameAsync(alice);
        using var anonymous = _nodes.Server.CreateClient();
        Assert.Equal(name, await DisplayNameAsync(anonymous, name));

        var patched = await alice.PatchAsJsonAsync("/api/me", new { displayName = "Alice Liddell" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("Alice Liddell", (await patched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("displayName").GetString());

        Assert.Equal("Alice Liddell", await DisplayNameAsync(anonymous, name));

        // And after the standby caught up, the cached entry is still the new one (it was never the old one).
        await _nodes.Replica.CatchUpAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("Alice Liddell", await DisplayNameAsync(anonymous, name));
    }

    [Fact]
    public async Task A_photo_turning_ready_is_seen_ready_by_others_and_its_like_count_at_once()
    {
        using var owner = await ApiClient.NewUserAsync(_nodes.Server, "ow");
        using var fan = await ApiClient.NewUserAsync(_nodes.Server, "fa");
        using var anonymous = _nodes.Server.CreateClient();
        await _nodes.Replica.CatchUpAsync(TimeSpan.FromSeconds(30));
        var photoId = await ApiClient.UploadOkAsync(owner, TestImages.Jpeg(300, 200));

        // Another user polls while the worker makes the variants: the fill after the worker's invalidation must
        // not be the standby's "processing" (nor its "not found"), or it would stay so for the cache lifetime.
        // Until ready the photo is its owner's alone (404 to others), so a stale fill would keep it 404 here.
        var photo = await WaitUntilVisibleAsync(anonymous, photoId, TimeSpan.FromSeconds(60));
        Assert.Equal("ready", photo.GetProperty("status").GetString());
        Assert.Equal(0, photo.GetProperty("likes").GetInt64());

        Assert.Equal(HttpStatusCode.NoContent, (await fan.PutAsync($"/api/photos/{photoId}/like", null)).StatusCode);
        Assert.Equal(1, (await anonymous.GetFromJsonAsync<JsonElement>($"/api/photos/{photoId}")).GetProperty("likes").GetInt64());
        await _nodes.Replica.CatchUpAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, (await anonymous.GetFromJsonAsync<JsonElement>($"/api/photos/{photoId}")).GetProperty("likes").GetInt64());
    }

    [Fact]
    public async Task A_photo_posted_right_after_a_follow_reaches_the_new_followers_feed()
    {
        using var star = await ApiClient.NewUserAsync(_nodes.Server, "st");
        using var follower = await ApiClient.NewUserAsync(_nodes.Server, "fo");
        await _nodes.Replica.CatchUpAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.NoContent, (await follower.PutAsync($"/api/me/following/{await ApiClient.UsernameAsync(star)}", null)).StatusCode);

        // The fan-out runs within the standby's delay of the follow: it must read the followers from the primary.
        var photoId = (await ApiClient.UploadReadyAsync(star, TestImages.Jpeg(300, 200))).GetProperty("id").GetString()!;

        var deadline = DateTime.UtcNow + Delay + TimeSpan.FromSeconds(30);
        string feed;
        do
        {
            feed = await follower.GetStringAsync("/api/feed");
            if (feed.Contains(photoId, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"The photo posted right after the follow never reached the follower's feed: {feed}");
    }

    private static async Task<string?> DisplayNameAsync(HttpClient client, string username) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/users/{username}")).GetProperty("displayName").GetString();

    private static async Task<JsonElement> WaitUntilVisibleAsync(HttpClient client, string photoId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var response = await client.GetAsync($"/api/photos/{photoId}");
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            await Task.Delay(50);
        }
    }
}
