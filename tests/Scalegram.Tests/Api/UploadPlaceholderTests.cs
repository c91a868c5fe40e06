using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NetVips;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Api;

/// <summary>
/// The placeholder made at upload: a web-only node takes the photo (no worker, so it stays "processing")
/// and already serves a 16 px preview of it; the worker's one replaces it when the photo turns ready.
/// </summary>
public sealed class UploadPlaceholderTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "scalegram-test-" + Guid.NewGuid().ToString("N"));
    private TestServer _web = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        _web = await TestServer.StartAsync(NodeRole.Web, _dataDir, "--Caching:Disabled=true");
        _user = await ApiClient.NewUserAsync(_web, "ph");
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _web.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static byte[] Solid(int width, int height, double r, double g, double b, bool png = false)
    {
        using var black = Image.Black(width, height, bands: 3);
        using var colour = (black + new[] { r, g, b }).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        return png ? colour.PngsaveBuffer(compression: 1) : colour.JpegsaveBuffer(q: 90);
    }

    private async Task<JsonElement> GetAsync(string id) => await _user.GetFromJsonAsync<JsonElement>($"/api/photos/{id}");

    private static Image Decode(JsonElement photo)
    {
        var url = photo.GetProperty("placeholder").GetString()!;
        Assert.StartsWith("data:image/webp;base64,", url, StringComparison.Ordinal);
        return Image.NewFromBuffer(Convert.FromBase64String(url["data:image/webp;base64,".Length..]));
    }

    private static void AssertColour(Image image, double r, double g, double b)
    {
        var mean = Enumerable.Range(0, 3).Select(i => image[i].Avg()).ToArray();
        Assert.True(Math.Abs(mean[0] - r) < 16 && Math.Abs(mean[1] - g) < 16 && Math.Abs(mean[2] - b) < 16, $"placeholder averages ({mean[0]:0}, {mean[1]:0}, {mean[2]:0}), expected ({r}, {g}, {b})");
    }

    [Fact]
    public async Task A_processing_jpeg_already_has_a_16_px_placeholder_of_its_colour_and_keeps_one_when_ready()
    {
        var id = await ApiClient.UploadOkAsync(_user, Solid(3000, 2000, 200, 60, 30));

        var processing = await GetAsync(id);
        Assert.Equal("processing", processing.GetProperty("status").GetString());
        using (var tiny = Decode(processing))
        {
            Assert.Equal((16, 11), (tiny.Width, tiny.Height)); // the photo's 3:2 shape, 16 px on its long side
            AssertColour(tiny, 200, 60, 30);
        }

        await using var worker = await TestServer.StartAsync(NodeRole.Worker, _dataDir);
        var ready = await ApiClient.WaitForPhotoAsync(_user, id);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        using var fromWorker = Decode(ready);
        Assert.True(Math.Max(fromWorker.Width, fromWorker.Height) <= 16);
        AssertColour(fromWorker, 200, 60, 30);
    }

    [Fact]
    public async Task The_upload_placeholder_shows_the_crop_and_the_exif_orientation()
    {
        // Left half green, right half blue, stored sideways (orientation 6 turns it upright: green on top).
        using var green = Image.Black(600, 400, bands: 3) + new[] { 20.0, 180, 40 };
        using var blue = Image.Black(600, 400, bands: 3) + new[] { 30.0, 40, 200 };
        using var joined = green.Join(blue, Enums.Direction.Horizontal).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        using var tagged = joined.Mutate(m => m.Set(GValue.GIntType, "orientation", 6));
        var upload = tagged.JpegsaveBuffer(q: 90, keep: Enums.ForeignKeep.All);

        // Displayed it is 400×1200 with the green half on top; keep only the top third.
        var id = await ApiClient.UploadOkAsync(_user, upload, crop: "0,0,400,400");
        var processing = await GetAsync(id);
        Assert.Equal("processing", processing.GetProperty("status").GetString());
        using var tiny = Decode(processing);
        Assert.Equal((16, 16), (tiny.Width, tiny.Height));
        AssertColour(tiny, 20, 180, 40);
    }

    [Fact]
    public async Task A_png_too_large_to_preview_cheaply_has_none_while_processing_and_one_when_ready()
    {
        var id = await ApiClient.UploadOkAsync(_user, Solid(2000, 1500, 40, 90, 220, png: true), fileName: "photo.png");

        var processing = await GetAsync(id);
        Assert.Equal("processing", processing.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, processing.GetProperty("placeholder").ValueKind);

        await using var worker = await TestServer.StartAsync(NodeRole.Worker, _dataDir);
        var ready = await ApiClient.WaitForPhotoAsync(_user, id);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        using var fromWorker = Decode(ready);
        AssertColour(fromWorker, 40, 90, 220);
    }

    [Fact]
    public async Task A_small_png_is_previewed_at_upload()
    {
        var id = await ApiClient.UploadOkAsync(_user, Solid(640, 480, 40, 90, 220, png: true), fileName: "photo.png");
        using var tiny = Decode(await GetAsync(id));
        Assert.Equal((16, 12), (tiny.Width, tiny.Height));
        AssertColour(tiny, 40, 90, 220);
    }

    [Fact]
    public async Task A_truncated_jpeg_is_accepted_without_error_whatever_its_placeholder()
    {
        var response = await ApiClient.UploadAsync(_user, TestImages.TruncatedJpeg());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var processing = await _user.GetAsync($"/api/photos/{id}");
        Assert.Equal(HttpStatusCode.OK, processing.StatusCode);
        var json = await processing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("processing", json.GetProperty("status").GetString());
        if (json.GetProperty("placeholder").ValueKind != JsonValueKind.Null)
        {
            using var tiny = Decode(json); // whatever the decoder made of the half it had, it is a valid image
            Assert.True(Math.Max(tiny.Width, tiny.Height) <= 16);
        }
    }

    [Fact]
    public async Task Another_user_sees_neither_the_processing_photo_nor_its_placeholder()
    {
        var id = await ApiClient.UploadOkAsync(_user, Solid(800, 600, 200, 60, 30));
        using var stranger = await ApiClient.NewUserAsync(_web, "ph");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/photos/{id}")).StatusCode);
    }
}
