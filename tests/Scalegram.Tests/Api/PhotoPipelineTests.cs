using System.Net;
using System.Text.Json;
using NetVips;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Api;

/// <summary>What the worker makes of an upload, checked on the variants as served over HTTP.</summary>
public class PhotoPipelineTests : ApiTestBase
{
    private HttpClient _user = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _user = await ApiClient.NewUserAsync(Server, "pipe");
    }

    public override async Task DisposeAsync()
    {
        _user.Dispose();
        await base.DisposeAsync();
    }

    private static Dictionary<string, JsonElement> Variants(JsonElement photo) =>
        photo.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);

    private async Task<Image> FetchAsync(JsonElement photo, string variant)
    {
        using var anonymous = Server.CreateClient();
        var response = await anonymous.GetAsync(Variants(photo)[variant].GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        return Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(3000, 2000)]
    [InlineData(500, 1500)]
    [InlineData(200, 100)]
    public async Task Variants_are_a_320_square_thumb_and_boxes_of_640_and_1080(int width, int height)
    {
        var photo = await ApiClient.UploadReadyAsync(_user, TestImages.Jpeg(width, height));
        var v = Variants(photo);
        Assert.Equal(["large", "medium", "thumb"], v.Keys.Order());

        using var thumb = await FetchAsync(photo, "thumb");
        Assert.Equal((320, 320), (thumb.Width, thumb.Height));
        foreach (var (name, box) in new[] { ("medium", 640), ("large", 1080) })
        {
            using var image = await FetchAsync(photo, name);
            Assert.Equal(v[name].GetProperty("width").GetInt32(), image.Width);
            Assert.Equal(v[name].GetProperty("height").GetInt32(), image.Height);
            Assert.True(Math.Max(image.Width, image.Height) <= box);
            Assert.Equal(Math.Min(box, Math.Max(width, height)), Math.Max(image.Width, image.Height));
            Assert.Equal((double)width / height, (double)image.Width / image.Height, 1);
        }
    }

    [Fact]
    public async Task Exif_orientation_is_applied()
    {
        var photo = await ApiClient.UploadReadyAsync(_user, TestImages.Jpeg(1600, 1200, exifOrientation: 6));
        using var large = await FetchAsync(photo, "large");
        Assert.True(large.Height > large.Width, $"expected portrait, got {large.Width}×{large.Height}");
        Assert.Equal((810, 1080), (large.Width, large.Height));
    }

    [Fact]
    public async Task No_metadata_leaves_the_server()
    {
        var upload = TestImages.Jpeg(900, 600, exifOrientation: 1, withGps: true);
        using (var original = Image.NewFromBuffer(upload))
        {
            Assert.Contains(original.GetFields(), f => f.StartsWith("exif-ifd3-GPS", StringComparison.Ordinal));
        }

        var photo = await ApiClient.UploadReadyAsync(_user, upload);
        foreach (var name in new[] { "thumb", "medium", "large" })
        {
            using var served = await FetchAsync(photo, name);
            var fields = served.GetFields();
            Assert.DoesNotContain(fields, f => f.StartsWith("exif", StringComparison.Ordinal));
            Assert.DoesNotContain(fields, f => f.Contains("gps", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain("xmp-data", fields);
            Assert.DoesNotContain("iptc-data", fields);
        }
    }

    [Fact]
    public async Task Grayscale_makes_every_pixel_grey()
    {
        var photo = await ApiClient.UploadReadyAsync(_user, TestImages.Jpeg(400, 300), filter: "grayscale");
        using var served = await FetchAsync(photo, "medium");
        using var rgb = served.Bands == 1 ? served.Colourspace(Enums.Interpretation.Srgb) : served.Copy();
        Assert.Equal(0, (rgb[0] - rgb[1]).Abs().Max());
        Assert.Equal(0, (rgb[1] - rgb[2]).Abs().Max());
    }

    [Fact]
    public async Task Sepia_makes_warm_brown_tones()
    {
        var photo = await ApiClient.UploadReadyAsync(_user, TestImages.Jpeg(400, 300), filter: "sepia");
        using var served = await FetchAsync(photo, "medium");
        Assert.Equal(3, served.Bands);
        Assert.True(served[0].Avg() > served[1].Avg() && served[1].Avg() > served[2].Avg(), "sepia: red > green > blue on average");
        using var plain = await FetchAsync(await ApiClient.UploadReadyAsync(_user, TestImages.Jpeg(400, 300)), "medium");
        Assert.True(plain[2].Avg() > served[2].Avg(), "sepia lowers the blue");
    }

    [Fact]
    public async Task Blur_softens_detail()
    {
        var stripes = TestImages.StripesJpeg(640, 480);
        using var sharp = await FetchAsync(await ApiClient.UploadReadyAsync(_user, stripes), "medium");
        using var blurred = await FetchAsync(await ApiClient.UploadReadyAsync(_user, stripes, filter: "blur"), "medium");
        Assert.True(blurred.Deviate() < sharp.Deviate() / 2, $"blur should flatten stripes: {blurred.Deviate()} vs {sharp.Deviate()}");
    }

    [Fact]
    public async Task Crop_is_applied()
    {
        var photo = await ApiClient.UploadReadyAsync(_user, TestImages.Jpeg(1600, 1200), crop: "100,200,900,300");
        using var large = await FetchAsync(photo, "large");
        Assert.Equal(3.0, (double)large.Width / large.Height, 1);
        Assert.Equal(900, large.Width);
    }

    [Fact]
    public async Task Png_with_alpha_and_webp_become_ready()
    {
        await ApiClient.UploadReadyAsync(_user, TestImages.Png(500, 400, alpha: true));
        await ApiClient.UploadReadyAsync(_user, TestImages.Webp(500, 400), filter: "vivid");
    }

    [Fact]
    public async Task A_truncated_jpeg_ends_failed_with_a_reason_not_a_500_or_a_stuck_job()
    {
        var profilePath = $"/api/users/{await ApiClient.UsernameAsync(_user)}";
        async Task<long> PhotoCountAsync() => JsonDocument.Parse(await _user.GetStringAsync(profilePath)).RootElement.GetProperty("photos").GetInt64();
        var before = await PhotoCountAsync();

        var id = await ApiClient.UploadOkAsync(_user, TestImages.TruncatedJpeg());
        await PhotoCountAsync();
        var photo = await ApiClient.WaitForPhotoAsync(_user, id);

        Assert.Equal("failed", photo.GetProperty("status").GetString());
        var reason = photo.GetProperty("failureReason").GetString();
        Assert.Contains("truncated or corrupt", reason);
        Assert.Empty(photo.GetProperty("variants").EnumerateArray());
        Assert.Equal(before, await PhotoCountAsync());
        Assert.Equal(0, await Durability.JobsTable.CountAsync(Server, $"state = 'ready' AND payload LIKE '%{id}%'"));
    }

    [Fact]
    public async Task A_decompression_bomb_under_the_pixel_limit_is_processed_in_bounded_memory()
    {
        // 7000×7000 = 49 MP of one colour: ~50 MB decoded, a few kB compressed.
        var bomb = TestImages.FlatPng(7000, 7000);
        Assert.True(bomb.Length < 200_000);
        var photo = await ApiClient.UploadReadyAsync(_user, bomb);
        using var large = await FetchAsync(photo, "large");
        Assert.Equal((1080, 1080), (large.Width, large.Height));
    }

    [Fact]
    public async Task A_processing_photo_shows_no_variants_yet()
    {
        var id = await ApiClient.UploadOkAsync(_user, TestImages.Jpeg(2000, 1500));
        var photo = await _user.GetStringAsync($"/api/photos/{id}");
        var json = JsonDocument.Parse(photo).RootElement;
        if (json.GetProperty("status").GetString() == "processing")
        {
            Assert.Empty(json.GetProperty("variants").EnumerateArray());
        }

        Assert.Equal("ready", (await ApiClient.WaitForPhotoAsync(_user, id)).GetProperty("status").GetString());
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class PhotoPipelineTestsOnPostgres : PhotoPipelineTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
