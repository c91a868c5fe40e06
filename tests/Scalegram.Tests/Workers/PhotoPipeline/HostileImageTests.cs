using System.Net;
using System.Text.Json;
using NetVips;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Workers.PhotoPipeline;

/// <summary>
/// Whatever is uploaded, the photo ends 'ready' or 'failed' with a reason a person can act on (or the
/// upload is refused with a 4xx), and the worker goes on to process the next photo. Fixtures are made here
/// with libvips; none is committed.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class HostileImageTests : ApiTestBase
{
    private static readonly double[] Red = [200, 30, 40];

    private HttpClient _user = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _user = await ApiClient.NewUserAsync(Server, "hostile");
    }

    public override async Task DisposeAsync()
    {
        _user.Dispose();
        await base.DisposeAsync();
    }

    private async Task<Image> FetchAsync(JsonElement photo, string variant)
    {
        var url = photo.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("name").GetString() == variant).GetProperty("url").GetString();
        using var anonymous = Server.CreateClient();
        var response = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task<string> FailureAsync(HttpClient user, byte[] upload, string fileName = "photo.jpg")
    {
        var photo = await ApiClient.WaitForPhotoAsync(user, await ApiClient.UploadOkAsync(user, upload, fileName: fileName));
        Assert.Equal("failed", photo.GetProperty("status").GetString());
        Assert.Empty(photo.GetProperty("variants").EnumerateArray());
        return photo.GetProperty("failureReason").GetString()!;
    }

    /// <summary>The worker is still alive and well: the next ordinary photo turns ready.</summary>
    private static async Task AssertWorkerStillRendersAsync(HttpClient user) =>
        await ApiClient.UploadReadyAsync(user, TestImages.Jpeg(640, 480));

    /// <summary>A flat patch of <paramref name="rgb"/> in sRGB, <paramref name="width"/>×<paramref name="height"/>.</summary>
    private static Image Patch(double[] rgb, int width = 600, int height = 400)
    {
        using var black = Image.Black(width, height);
        using var patch = black.NewFromImage(rgb);
        return patch.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
    }

    private static void AssertNear(double[] expected, double[] actual, double tolerance, string what)
    {
        for (var b = 0; b < 3; b++)
        {
            Assert.True(Math.Abs(expected[b] - actual[b]) <= tolerance, $"{what}: expected ≈ ({string.Join(", ", expected)}), got ({string.Join(", ", actual.Select(v => Math.Round(v)))})");
        }
    }

    [Fact]
    public async Task A_progressive_jpeg_is_ready_with_the_usual_variants()
    {
        using var image = TestImages.Gradient(3000, 2000);
        var progressive = image.JpegsaveBuffer(q: 90, interlace: true);
        using (var header = Image.NewFromBuffer(progressive))
        {
            Assert.Equal(1, (int)header.Get("interlaced"));
        }

        var photo = await ApiClient.UploadReadyAsync(_user, progressive);
        using var large = await FetchAsync(photo, "large");
        using var thumb = await FetchAsync(photo, "thumb");
        Assert.Equal((1080, 720), (large.Width, large.Height));
        Assert.Equal((320, 320), (thumb.Width, thumb.Height));
    }

    [Theory]
    [InlineData("gif")]
    [InlineData("webp")]
    public async Task An_animated_image_becomes_a_photo_of_its_first_frame(string format)
    {
        using var first = Patch(Red, 200, 150);
        using var second = Patch([30, 40, 200], 200, 150);
        using var strip = Image.Arrayjoin([first, second], across: 1);
        using var animated = strip.Mutate(m =>
        {
            m.Set(GValue.GIntType, "page-height", 150);
            m.Set(GValue.ArrayIntType, "delay", new[] { 100, 100 });
        });
        var bytes = format == "gif" ? animated.GifsaveBuffer() : animated.WebpsaveBuffer(q: 95, lossless: true);
        using (var all = Image.NewFromBuffer(bytes, "n=-1"))
        {
            Assert.Equal(2, (int)all.Get("n-pages"));
        }

        var photo = await ApiClient.UploadReadyAsync(_user, bytes);
        using var medium = await FetchAsync(photo, "medium");
        Assert.Equal((200, 150), (medium.Width, medium.Height));
        AssertNear(Red, medium.Getpoint(100, 75), 16, "the first frame's red");
    }

    [Fact]
    public async Task A_huge_but_valid_50_megapixel_png_is_ready()
    {
        using var image = TestImages.Gradient(8000, 6250);
        var png = image.PngsaveBuffer(compression: 1);

        var photo = await ApiClient.UploadReadyAsync(_user, png);
        using var large = await FetchAsync(photo, "large");
        Assert.Equal((1080, 844), (large.Width, large.Height));
    }

    [Fact]
    public async Task A_cmyk_jpeg_is_converted_to_srgb_and_keeps_its_colour()
    {
        using var patch = Patch(Red);
        using var cmyk = patch.IccTransform("cmyk");
        Assert.Equal(Enums.Interpretation.Cmyk, cmyk.Interpretation);
        var jpeg = cmyk.JpegsaveBuffer(q: 95);

        var photo = await ApiClient.UploadReadyAsync(_user, jpeg);
        using var medium = await FetchAsync(photo, "medium");
        Assert.Equal(3, medium.Bands);
        AssertNear(Red, medium.Getpoint(300, 200), 16, "CMYK red back in sRGB");
    }

    [Fact]
    public async Task A_display_p3_photo_is_converted_so_its_colours_stay_right()
    {
        // The same red expressed in Display P3: other numbers, with the P3 profile embedded to say what they mean.
        using var patch = Patch(Red);
        using var p3 = patch.IccTransform("p3");
        var inP3 = p3.Getpoint(10, 10);
        Assert.True(Math.Abs(inP3[0] - Red[0]) > 10, "P3 numbers must differ from sRGB's for the test to mean anything");
        var jpeg = p3.JpegsaveBuffer(q: 95);

        var photo = await ApiClient.UploadReadyAsync(_user, jpeg);
        using var medium = await FetchAsync(photo, "medium");
        Assert.DoesNotContain("icc-profile-data", medium.GetFields());
        AssertNear(Red, medium.Getpoint(300, 200), 6, "the P3 patch, converted to sRGB");
    }

    [Fact]
    public async Task A_16_bit_png_is_ready_as_8_bit_srgb()
    {
        using var image = TestImages.Gradient(800, 600);
        using var wide = image.Cast(Enums.BandFormat.Ushort).Linear([257.0], [0.0]).Cast(Enums.BandFormat.Ushort).Copy(interpretation: Enums.Interpretation.Rgb16);
        var png = wide.PngsaveBuffer();
        using (var header = Image.NewFromBuffer(png))
        {
            Assert.Equal(Enums.BandFormat.Ushort, header.Format);
        }

        var photo = await ApiClient.UploadReadyAsync(_user, png);
        using var large = await FetchAsync(photo, "large");
        Assert.Equal((800, 600, 3, Enums.BandFormat.Uchar), (large.Width, large.Height, large.Bands, large.Format));
        AssertNear(image.Getpoint(400, 300), large.Getpoint(400, 300), 6, "the 16-bit gradient scaled to 8 bits");
    }

    [Fact]
    public async Task A_16_bit_tiff_is_refused_at_upload_as_an_unsupported_format()
    {
        using var image = TestImages.Gradient(400, 300);
        using var wide = image.Cast(Enums.BandFormat.Ushort).Copy(interpretation: Enums.Interpretation.Rgb16);
        var problem = await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(_user, wide.TiffsaveBuffer(), fileName: "scan.tiff"), HttpStatusCode.UnsupportedMediaType, "unsupported-image");
        Assert.Contains("JPEG, PNG, GIF, WebP and AVIF", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_corrupt_jpeg_fails_with_a_reason_and_the_worker_goes_on()
    {
        // A real JPEG whose Huffman tables are garbage: a fatal error for the decoder, wherever it is caught.
        // (Noise in the scan data is not: libjpeg warns, decodes on and the photo looks damaged, as in a browser.)
        var corrupt = TestImages.Jpeg(1200, 900);
        var dht = corrupt.AsSpan().IndexOf([(byte)0xFF, (byte)0xC4]);
        Assert.True(dht > 0);
        corrupt.AsSpan(dht + 5, 16).Fill(0xFF);

        var response = await ApiClient.UploadAsync(_user, corrupt);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            var photo = await ApiClient.WaitForPhotoAsync(_user, id);
            Assert.Equal("failed", photo.GetProperty("status").GetString());
            Assert.Contains("truncated or corrupt", photo.GetProperty("failureReason").GetString());
        }
        else
        {
            await ApiClient.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "unreadable-image");
        }

        Assert.Contains("truncated or corrupt", await FailureAsync(_user, TestImages.TruncatedJpeg()));
        await AssertWorkerStillRendersAsync(_user);
    }

    [Fact]
    public async Task A_pixel_bomb_claiming_50000_by_50000_is_refused_at_upload()
    {
        var bomb = TestImages.PngClaiming(50_000, 50_000);
        Assert.True(bomb.Length < 1000);
        var problem = await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(_user, bomb, fileName: "bomb.png"), HttpStatusCode.UnprocessableEntity, "image-too-large");
        Assert.Contains("megapixels", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_render_past_the_time_limit_fails_with_a_reason_and_the_worker_goes_on()
    {
        // 1 ms: no 12-megapixel decode finishes in that, so the limit, not the image, decides.
        var node = await StartServerAsync("--Imaging:RenderTimeout=00:00:00.001");
        using var user = await ApiClient.NewUserAsync(node, "slow");
        var reason = await FailureAsync(user, TestImages.Jpeg(4000, 3000));
        Assert.Contains("took longer than", reason);

        // The same photo with the default limit renders: the failure above was the limit's doing.
        await ApiClient.UploadReadyAsync(_user, TestImages.Jpeg(4000, 3000));
    }

    [Fact]
    public async Task A_photo_needing_more_decode_memory_than_the_limit_fails_with_a_reason()
    {
        // 3000×2000 progressive is counted at 2 bytes a pixel and band (~34 MiB), plus the 16 MiB any render holds: over a 24 MiB limit.
        var node = await StartServerAsync("--Imaging:MaxDecodeMemoryMiB=24");
        using var user = await ApiClient.NewUserAsync(node, "mem");
        using var image = TestImages.Gradient(3000, 2000);
        var reason = await FailureAsync(user, image.JpegsaveBuffer(q: 90, interlace: true));
        Assert.Contains("of memory to decode", reason);
        Assert.Contains("limit is 24 MB", reason);

        // The same pixels as a baseline JPEG stream through the decoder in a few rows: well within the limit.
        await ApiClient.UploadReadyAsync(user, image.JpegsaveBuffer(q: 90));
    }
}
