using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Privacy;

/// <summary>
/// The origin's /media for private photos: a valid signed URL serves the file (private, for its lifetime);
/// tampered, expired and malformed ones are 403 before anything is looked up (so they say nothing about
/// existence); the public path 404s like a missing file; switching public→private and back takes effect.
/// </summary>
public sealed class SignedMediaOriginTests : ApiTestBase
{
    [Fact]
    public async Task Tampered_expired_and_malformed_signatures_are_403_whether_or_not_the_file_exists()
    {
        using var cast = await PrivateCast.CreateAsync(Server);
        using var anonymous = Server.CreateClient();
        var url = (await cast.OwnerUrlsAsync(cast.NewPhotoId))[0];
        var key = PrivateCast.KeyOf(url);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(url)).StatusCode);

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var expired = await PrivateCast.SignAsync(Server, key, now - 5);
        var later = await PrivateCast.SignAsync(Server, key, now + 600);
        var parts = url.Split('/');
        var tamperedSig = url.Replace(parts[4], new string('A', parts[4].Length), StringComparison.Ordinal);
        var otherExpiry = url.Replace($"/media/s/{parts[3]}/", $"/media/s/{long.Parse(parts[3]) + 3600}/", StringComparison.Ordinal);
        var otherKey = url.Replace(key, key.Replace(cast.NewPhotoId, cast.OldPhotoId, StringComparison.Ordinal), StringComparison.Ordinal);
        var missingFile = await PrivateCast.SignAsync(Server, $"p/{cast.NewPhotoId}/nothing-abc.jpg", now + 600);
        string[] refused = [expired, tamperedSig, otherExpiry, otherKey, $"/media/s/abc/{parts[4]}/{key}", $"/media/s/{parts[3]}/short/{key}",
            tamperedSig.Replace(key, "p/1/nothing-abc.jpg", StringComparison.Ordinal)];
        foreach (var path in refused)
        {
            await ApiClient.AssertProblemAsync(await anonymous.GetAsync(path), HttpStatusCode.Forbidden, "forbidden");
        }

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(later)).StatusCode);
        // Only a holder of a valid signature learns whether the file exists.
        await ApiClient.AssertProblemAsync(await anonymous.GetAsync(missingFile), HttpStatusCode.NotFound, "not-found");
        // A signature never opens an original.
        var original = await PrivateCast.SignAsync(Server, "originals/1-abc.jpg", now + 600);
        await ApiClient.AssertProblemAsync(await anonymous.GetAsync(original), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Every_format_of_a_private_photo_leaves_only_as_a_signed_url()
    {
        using var cast = await PrivateCast.CreateAsync(Server);
        using var anonymous = Server.CreateClient();
        var photo = await cast[Viewer.Follower].GetFromJsonAsync<JsonElement>($"/api/photos/{cast.NewPhotoId}");
        var sources = photo.GetProperty("variants").EnumerateArray().SelectMany(v => v.GetProperty("sources").EnumerateArray()).ToList();
        Assert.Equal(9, sources.Count);
        foreach (var source in sources)
        {
            var url = source.GetProperty("url").GetString()!;
            Assert.StartsWith("/media/s/", url, StringComparison.Ordinal);
            using var signed = await anonymous.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
            Assert.Equal(source.GetProperty("type").GetString(), signed.Content.Headers.ContentType?.MediaType);
            Assert.True(signed.Headers.CacheControl?.Private);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/media/" + PrivateCast.KeyOf(url))).StatusCode);
        }

        // The Accept-chosen redirect signs too, and shows nothing to those who may not see the photo.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/photos/{cast.NewPhotoId}/media/large");
        request.Headers.TryAddWithoutValidation("Accept", "image/webp");
        using var redirect = await cast[Viewer.Follower].SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Matches("^/media/s/[0-9]+/[A-Za-z0-9_-]+/p/[0-9]+/large-[0-9a-f]{20}\\.webp$", redirect.Headers.Location!.OriginalString);
        foreach (var outsider in new[] { Viewer.Anonymous, Viewer.Stranger, Viewer.Pending })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await cast[outsider].GetAsync($"/api/photos/{cast.NewPhotoId}/media/large")).StatusCode);
        }
    }

    [Fact]
    public async Task Switching_public_to_private_closes_the_public_urls_and_back_reopens_them()
    {
        using var owner = await ApiClient.NewUserAsync(Server, "sw");
        using var anonymous = Server.CreateClient();
        var photo = await ApiClient.UploadReadyAsync(owner, TestImages.Jpeg(320, 240));
        var id = photo.GetProperty("id").GetString()!;
        var publicUrls = photo.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("url").GetString()!).ToList();
        Assert.All(publicUrls, u => Assert.StartsWith("/media/p/", u, StringComparison.Ordinal));
        foreach (var url in publicUrls)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(url)).StatusCode);
        }

        await PrivateCast.SetPrivateAsync(owner, true);
        foreach (var url in publicUrls)
        {
            await ApiClient.AssertProblemAsync(await anonymous.GetAsync(url), HttpStatusCode.NotFound, "not-found");
        }

        var signed = (await owner.GetFromJsonAsync<JsonElement>($"/api/photos/{id}")).GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("url").GetString()!).ToList();
        Assert.All(signed, u => Assert.StartsWith("/media/s/", u, StringComparison.Ordinal));

        await PrivateCast.SetPrivateAsync(owner, false);
        foreach (var url in publicUrls)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(url)).StatusCode);
        }

        Assert.Equal(publicUrls, (await anonymous.GetFromJsonAsync<JsonElement>($"/api/photos/{id}")).GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("url").GetString()!).ToList());
    }

    [Fact]
    public async Task Signed_urls_repeat_within_a_window_so_the_edge_can_cache_them_and_expire_within_the_lifetime_and_a_fifth()
    {
        using var cast = await PrivateCast.CreateAsync(Server);
        var first = (await cast.OwnerUrlsAsync(cast.NewPhotoId))[0];
        var second = (await cast.OwnerUrlsAsync(cast.NewPhotoId))[0];
        var exp = long.Parse(first.Split('/')[3]);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(exp - now, 299 - 2, 360);
        // Two reads in the same minute-long window get the same URL (a window boundary between them is allowed once).
        var third = (await cast.OwnerUrlsAsync(cast.NewPhotoId))[0];
        Assert.True(first == second || second == third, $"{first} / {second} / {third}");
    }
}
