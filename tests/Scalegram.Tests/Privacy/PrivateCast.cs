using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Cdn;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Privacy;

/// <summary>The kinds of viewer every private object is checked against.</summary>
public enum Viewer
{
    Anonymous,
    Stranger,
    Pending,
    Follower,
    Owner,
}

/// <summary>
/// A private account with every kind of viewer: one follower from before it turned private, one pending
/// requester, one signed-in stranger and an anonymous client; one photo from before and one after.
/// </summary>
internal sealed class PrivateCast : IDisposable
{
    private readonly Dictionary<Viewer, HttpClient> _clients = [];

    public required string OwnerName { get; init; }

    public required string OldPhotoId { get; init; }

    public required string NewPhotoId { get; init; }

    public HttpClient this[Viewer viewer] => _clients[viewer];

    public static bool MaySee(Viewer viewer) => viewer is Viewer.Follower or Viewer.Owner;

    public static async Task<PrivateCast> CreateAsync(TestServer server)
    {
        var owner = await ApiClient.NewUserAsync(server, "priv");
        var follower = await ApiClient.NewUserAsync(server, "fol");
        var pending = await ApiClient.NewUserAsync(server, "pend");
        var stranger = await ApiClient.NewUserAsync(server, "str");
        var ownerName = await ApiClient.UsernameAsync(owner);

        var old = (await ApiClient.UploadReadyAsync(owner, TestImages.Jpeg(320, 240), caption: "before")).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await follower.PutAsync($"/api/me/following/{ownerName}", null)).StatusCode);
        await SetPrivateAsync(owner, true);
        using (var requested = await pending.PutAsync($"/api/me/following/{ownerName}", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
            Assert.Equal("requested", (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }

        var fresh = (await ApiClient.UploadReadyAsync(owner, TestImages.Jpeg(320, 240), caption: "after")).GetProperty("id").GetString()!;
        var cast = new PrivateCast { OwnerName = ownerName, OldPhotoId = old, NewPhotoId = fresh };
        cast._clients[Viewer.Anonymous] = server.CreateClient();
        cast._clients[Viewer.Stranger] = stranger;
        cast._clients[Viewer.Pending] = pending;
        cast._clients[Viewer.Follower] = follower;
        cast._clients[Viewer.Owner] = owner;
        return cast;
    }

    public static async Task SetPrivateAsync(HttpClient owner, bool isPrivate)
    {
        using var response = await owner.PutAsJsonAsync("/api/me/privacy", new { @private = isPrivate });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(isPrivate, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("private").GetBoolean());
    }

    /// <summary>The photo's variant URLs as its owner receives them.</summary>
    public async Task<IReadOnlyList<string>> OwnerUrlsAsync(string photoId)
    {
        var photo = await this[Viewer.Owner].GetFromJsonAsync<JsonElement>($"/api/photos/{photoId}");
        return [.. photo.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("url").GetString()!)];
    }

    /// <summary>A signed media path made with the node's own key for any expiry (to test expired ones).</summary>
    public static async Task<string> SignAsync(TestServer server, string key, long exp)
    {
        var secret = await server.Services.GetRequiredService<MediaSigningKey>().GetAsync(CancellationToken.None);
        var mac = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{exp.ToString(CultureInfo.InvariantCulture)}/{key}"));
        var sig = Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"/media/s/{exp.ToString(CultureInfo.InvariantCulture)}/{sig}/{key}";
    }

    /// <summary>The blob key of a signed path (/media/s/{exp}/{sig}/{key}).</summary>
    public static string KeyOf(string signedPath)
    {
        var path = signedPath[signedPath.IndexOf("/media/s/", StringComparison.Ordinal)..];
        var parts = path.Split('/', 6);
        return parts[5];
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }
}
