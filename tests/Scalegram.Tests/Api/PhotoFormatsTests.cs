using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using NetVips;
using Scalegram.Caching;
using Scalegram.Data;
using Scalegram.Imaging;
using Scalegram.Photos;
using Scalegram.Storage;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Api;

/// <summary>AVIF and WebP beside each JPEG variant, the Accept-chosen redirect, the placeholder, and HEIC/AVIF uploads.</summary>
public class PhotoFormatsTests : ApiTestBase
{
    private static readonly string[] Types = ["image/avif", "image/webp", "image/jpeg"];
    private static readonly Dictionary<string, string> Loaders = new()
    {
        ["image/avif"] = "heifload",
        ["image/webp"] = "webpload",
        ["image/jpeg"] = "jpegload",
    };

    private HttpClient _user = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _user = await ApiClient.NewUserAsync(Server, "fmt");
    }

    public override async Task DisposeAsync()
    {
        _user.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public void The_bundled_libvips_writes_avif_and_cannot_decode_heic_as_the_docs_say()
    {
        // docs/photo-pipeline.md ("Formats") states both; if the native build changes, change the docs with it.
        Assert.True(HeifSupport.CanEncodeAvif, "AVIF encoding is gone from NetVips.Native: update docs/photo-pipeline.md.");
        Assert.False(HeifSupport.CanDecodeHeic, "HEIC decoding now works: update docs/photo-pipeline.md (uploads are accepted).");
    }

    [Fact]
    public async Task Every_variant_exists_as_avif_webp_and_jpeg_blobs_and_in_the_json()
    {
        var photo = await ApiClient.UploadReadyAsync(_user, TestImages.Jpeg(1600, 1200));
        var blobs = (LocalBlobStore)Server.Services.GetRequiredService<IBlobStore>();
        using var anonymous = Server.CreateClient();
        foreach (var variant in photo.GetProperty("variants").EnumerateArray())
        {
            var sources = variant.GetProperty("sources").EnumerateArray().ToList();
            Assert.Equal(Types, sources.Select(s => s.GetProperty("type").GetString()));
            Assert.Equal(variant.GetProperty("url").GetString(), sources[^1].GetProperty("url").GetString());
            Assert.Equal(3, sources.Select(s => s.GetProperty("url").GetString()).Distinct().Count());
            foreach (var source in sources)
            {
                var type = source.GetProperty("type").GetString()!;
                var url = source.GetProperty("url").GetString()!;
                Assert.True(File.Exists(blobs.PathOf(url["/media/".Length..])), $"{url} is not in the blob store");
                using var response = await anonymous.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
                Assert.Contains("immutable", response.Headers.CacheControl?.ToString());
                using var image = Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
                Assert.Equal(Loaders[type], ((string)image.Get("vips-loader")).Replace("_buffer", "", StringComparison.Ordinal));
                Assert.Equal((variant.GetProperty("width").GetInt32(), variant.GetProperty("height").GetInt32()), (image.Width, image.Height));
            }
        }
    }

    [Fact]
    public async Task The_placeholder_is_a_16_pixel_webp_of_the_photos_shape()
    {
        var photo = await ApiClient.UploadReadyAsync(_user, TestImages.Jpeg(1200, 600));
        var placeholder = photo.GetProperty("placeholder").GetString()!;
        Assert.StartsWith("data:image/webp;base64,", placeholder, StringComparison.Ordinal);
        Assert.InRange(placeholder.Length, 40, 600);

        using var image = Image.NewFromBuffer(Convert.FromBase64String(placeholder["data:image/webp;base64,".Length..]));
        Assert.Equal((16, 8), (image.Width, image.Height));

        // It looks like the photo: the gradient's red rises left to right (TestImages.Gradient).
        using var left = image.Crop(0, 0, 4, 8);
        using var right = image.Crop(12, 0, 4, 8);
        Assert.True(right[0].Avg() > left[0].Avg() + 60, $"left {left[0].Avg()}, right {right[0].Avg()}");
    }

    [Theory]
    [InlineData("image/avif,image/webp,image/apng,image/*,*/*;q=0.8", "image/avif")]
    [InlineData("image/webp,*/*", "image/webp")]
    [InlineData("*/*", "image/jpeg")]
    [InlineData(null, "image/jpeg")]
    public async Task The_media_endpoint_redirects_by_accept_and_varies_on_it(string? accept, string expected)
    {
        var photo = await ApiClient.UploadReadyAsync(_user, TestImages.Jpeg(800, 600));
        var id = photo.GetProperty("id").GetString();
        var large = photo.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "large");
        var expectedUrl = large.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("type").GetString() == expected).GetProperty("url").GetString();

        using var client = Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/photos/{id}/media/large");
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expectedUrl, response.Headers.Location?.OriginalString);
        Assert.Contains("Accept", response.Headers.Vary);
        Assert.True(response.Headers.CacheControl?.NoCache);

        using var media = await client.GetAsync(response.Headers.Location);
        Assert.Equal(expected, media.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_media_endpoint_answers_404_for_unknown_photos_and_variants()
    {
        var id = (await ApiClient.UploadReadyAsync(_user, TestImages.Jpeg(200, 200))).GetProperty("id").GetString();
        using var client = Server.CreateClient();
        await ApiClient.AssertProblemAsync(await client.GetAsync($"/api/photos/{id}/media/huge"), HttpStatusCode.NotFound, "not-found");
        await ApiClient.AssertProblemAsync(await client.GetAsync("/api/photos/123456789/media/large"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Deleting_a_photo_removes_every_format_of_every_variant()
    {
        var photo = await ApiClient.UploadReadyAsync(_user, TestImages.Jpeg(900, 700));
        var id = photo.GetProperty("id").GetString();
        var urls = photo.GetProperty("variants").EnumerateArray()
            .SelectMany(v => v.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString()!)).ToList();
        Assert.Equal(9, urls.Count);
        var blobs = (LocalBlobStore)Server.Services.GetRequiredService<IBlobStore>();

        Assert.Equal(HttpStatusCode.NoContent, (await _user.DeleteAsync($"/api/photos/{id}")).StatusCode);

        using var anonymous = Server.CreateClient();
        foreach (var url in urls)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(url)).StatusCode);
            Assert.False(File.Exists(blobs.PathOf(url["/media/".Length..])), $"{url} is still in the blob store");
        }

        Assert.Empty(Directory.Exists(Path.Combine(blobs.Root, "p", id!)) ? Directory.EnumerateFiles(Path.Combine(blobs.Root, "p", id!)) : []);
    }

    [Fact]
    public async Task A_photo_made_before_the_formats_still_serves_and_renders_its_jpeg()
    {
        var photo = await ApiClient.UploadReadyAsync(_user, TestImages.Jpeg(800, 600));
        var id = long.Parse(photo.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        await MakeJpegOnlyAsync(id);

        var old = await _user.GetFromJsonAsync<JsonElement>($"/api/photos/{id}");
        Assert.Equal(JsonValueKind.Null, old.GetProperty("placeholder").ValueKind);
        foreach (var variant in old.GetProperty("variants").EnumerateArray())
        {
            var sources = variant.GetProperty("sources").EnumerateArray().ToList();
            Assert.Equal(["image/jpeg"], sources.Select(s => s.GetProperty("type").GetString()));
            Assert.Equal(variant.GetProperty("url").GetString(), sources[0].GetProperty("url").GetString());
        }

        // A client asking for AVIF gets the JPEG the photo has.
        using var client = Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/photos/{id}/media/medium");
        request.Headers.TryAddWithoutValidation("Accept", "image/avif,image/webp,*/*");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith(".jpg", response.Headers.Location?.OriginalString, StringComparison.Ordinal);

        // The page's <picture> offers no AVIF or WebP sources (no srcset), so the browser takes the <img>'s JPEG.
        var html = await (await _user.GetAsync($"/p/{id}")).Content.ReadAsStringAsync();
        Assert.Contains("<picture>", html, StringComparison.Ordinal);
        Assert.Matches("<source type=\"image/avif\" data-source-set=\"full\" sizes=\"[^\"]*\">", html);
        Assert.DoesNotContain(".avif", html, StringComparison.Ordinal);
        Assert.DoesNotContain(".webp", html, StringComparison.Ordinal);
        Assert.Contains(old.GetProperty("variants")[0].GetProperty("url").GetString()!, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pages_offer_avif_and_webp_sources_before_the_jpeg_img()
    {
        var photo = await ApiClient.UploadReadyAsync(_user, TestImages.Jpeg(800, 600));
        var id = photo.GetProperty("id").GetString();
        var html = await (await _user.GetAsync($"/p/{id}")).Content.ReadAsStringAsync();
        var avif = html.IndexOf("<source type=\"image/avif\"", StringComparison.Ordinal);
        var webp = html.IndexOf("<source type=\"image/webp\"", StringComparison.Ordinal);
        var img = html.IndexOf("<img data-photo-img", StringComparison.Ordinal);
        Assert.True(avif > 0 && avif < webp && webp < img, "expected <source avif>, <source webp>, <img> in that order");
        Assert.Matches("srcset=\"/media/p/[0-9]+/medium-[0-9a-f]{20}\\.avif 640w, /media/p/[0-9]+/large-[0-9a-f]{20}\\.avif 800w\"", html);
        Assert.Contains($"src=\"{photo.GetProperty("placeholder").GetString()}\"", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Avif_uploads_are_accepted()
    {
        var photo = await ApiClient.UploadReadyAsync(_user, TestImages.Avif(640, 480));
        Assert.Equal("ready", photo.GetProperty("status").GetString());
        Assert.Equal(640, photo.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "medium").GetProperty("width").GetInt32());
    }

    [Fact]
    public async Task Heic_uploads_are_accepted_if_the_library_decodes_them_else_refused_with_a_clear_415()
    {
        var response = await ApiClient.UploadAsync(_user, TestImages.Heic(), fileName: "IMG_0001.HEIC");
        if (HeifSupport.CanDecodeHeic)
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return;
        }

        var problem = await ApiClient.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "heic-unsupported");
        Assert.StartsWith("HEIC is not supported by this server's image library", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_photos_formats_empty_only_jpeg_is_made_and_the_placeholder_still_is()
    {
        var server = await StartServerAsync("--Photos:Formats=");
        using var user = await ApiClient.NewUserAsync(server, "jpgonly");
        var photo = await ApiClient.UploadReadyAsync(user, TestImages.Jpeg(640, 480));
        Assert.All(photo.GetProperty("variants").EnumerateArray(), v =>
            Assert.Equal(["image/jpeg"], v.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("type").GetString())));
        Assert.StartsWith("data:image/webp;base64,", photo.GetProperty("placeholder").GetString(), StringComparison.Ordinal);
        var blobs = (LocalBlobStore)server.Services.GetRequiredService<IBlobStore>();
        Assert.Equal(3, Directory.EnumerateFiles(Path.Combine(blobs.Root, "p", photo.GetProperty("id").GetString()!)).Count());
    }

    [Fact]
    public async Task An_unknown_format_setting_fails_start_up_naming_the_key()
    {
        var e = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestServer.StartAsync(settings: "--Photos:Formats=webp,gif"));
        Assert.Contains("Photos:Formats lists 'gif'", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Rewrites a photo's row as the worker wrote it before other formats and placeholders existed.</summary>
    private async Task MakeJpegOnlyAsync(long id)
    {
        var db = Server.Services.GetRequiredService<Database>();
        await using (var connection = await db.ForId(id).Primary.OpenAsync(CancellationToken.None))
        {
            var json = await connection.ExecuteScalarAsync<string>("SELECT variants FROM photos WHERE id = @id", new { id });
            var jpegOnly = PhotoJson.ReadVariants(json).Select(v => new { v.Name, v.Width, v.Height, v.Key });
            await connection.ExecuteAsync(
                "UPDATE photos SET variants = @variants, placeholder = NULL WHERE id = @id",
                new { id, variants = JsonSerializer.Serialize(jpegOnly, PhotoJson.Options) });
        }

        await Server.Services.GetRequiredService<EntityCache>().InvalidateAsync(PhotoCacheKeys.Photo(id));
    }
}
