using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Api;

/// <summary>Every bad upload the issue names gets a clear 4xx, never a 500. A small MaxUploadBytes keeps the size tests cheap.</summary>
public class PhotoUploadValidationTests : ApiTestBase
{
    private const int Limit = 200 * 1024;
    private HttpClient _user = null!;

    protected override string[] Settings => [$"--Photos:MaxUploadBytes={Limit}"];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _user = await ApiClient.NewUserAsync(Server, "upl");
    }

    public override async Task DisposeAsync()
    {
        _user.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Caption_over_2200_characters_is_400_and_2200_is_fine()
    {
        await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(_user, TestImages.Jpeg(100, 100), caption: new string('c', 2201)), HttpStatusCode.BadRequest, "caption-too-long");
        Assert.Equal(HttpStatusCode.Accepted, (await ApiClient.UploadAsync(_user, TestImages.Jpeg(100, 100), caption: new string('c', 2200))).StatusCode);
    }

    [Fact]
    public async Task Unknown_filter_is_400()
    {
        var problem = await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(_user, TestImages.Jpeg(100, 100), filter: "hdr-glow"), HttpStatusCode.BadRequest, "unknown-filter");
        Assert.Contains("grayscale", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("1,2,3")]
    [InlineData("a,b,c,d")]
    [InlineData("0,0,0,10")]
    [InlineData("-1,0,10,10")]
    public async Task Malformed_crop_is_400(string crop) =>
        await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(_user, TestImages.Jpeg(100, 100), crop: crop), HttpStatusCode.BadRequest, "invalid-crop");

    [Theory]
    [InlineData("0,0,101,50")]
    [InlineData("90,0,20,20")]
    [InlineData("0,95,10,10")]
    public async Task Crop_outside_the_image_is_400(string crop) =>
        await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(_user, TestImages.Jpeg(100, 100), crop: crop), HttpStatusCode.BadRequest, "invalid-crop");

    [Fact]
    public async Task Crop_is_checked_against_the_displayed_orientation()
    {
        // Stored 200×100 but EXIF says turned 90°: displayed 100×200, so a tall crop fits and a wide one does not.
        var turned = TestImages.Jpeg(200, 100, exifOrientation: 6);
        Assert.Equal(HttpStatusCode.Accepted, (await ApiClient.UploadAsync(_user, turned, crop: "0,0,100,200")).StatusCode);
        await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(_user, turned, crop: "0,0,200,100"), HttpStatusCode.BadRequest, "invalid-crop");
    }

    [Fact]
    public async Task Over_the_limit_is_413_by_content_length()
    {
        var big = new byte[Limit + 100 * 1024];
        TestImages.Jpeg(50, 50).CopyTo(big, 0);
        await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(_user, big), HttpStatusCode.RequestEntityTooLarge, "upload-too-large");
    }

    [Fact]
    public async Task Over_the_limit_is_413_while_streaming_without_a_content_length()
    {
        var big = new byte[Limit + 10];
        TestImages.Jpeg(50, 50).CopyTo(big, 0);
        using var form = new MultipartFormDataContent();
        form.Add(new StreamContent(new UnknownLengthStream(big)), "file", "photo.jpg");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/photos") { Content = form };
        request.Headers.TransferEncodingChunked = true;
        await ApiClient.AssertProblemAsync(await _user.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "upload-too-large");
    }

    [Fact]
    public async Task A_text_file_named_photo_jpg_is_415()
    {
        var text = Encoding.UTF8.GetBytes("I am a text file that says I am a photo.\n" + new string('x', 500));
        await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(_user, text, fileName: "photo.jpg"), HttpStatusCode.UnsupportedMediaType, "unsupported-image");
        await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(_user, [0xFF, 0xD8], fileName: "tiny.jpg"), HttpStatusCode.UnsupportedMediaType, "unsupported-image");
    }

    [Fact]
    public async Task Png_and_webp_are_accepted_by_content_whatever_the_name()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await ApiClient.UploadAsync(_user, TestImages.Png(120, 80), fileName: "really-a-png.jpg")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await ApiClient.UploadAsync(_user, TestImages.Webp(120, 80), fileName: "pic.gif")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await ApiClient.UploadAsync(_user, TestImages.Png(120, 80, alpha: true), fileName: "a.png")).StatusCode);
    }

    [Fact]
    public async Task A_header_claiming_over_50_megapixels_is_refused_at_upload()
    {
        var problem = await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(_user, TestImages.PngClaiming(8000, 8000)), HttpStatusCode.UnprocessableEntity, "image-too-large");
        Assert.Contains("megapixels", problem.GetProperty("detail").GetString());
        await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(_user, TestImages.PngClaiming(100_000, 100_000)), HttpStatusCode.UnprocessableEntity, "image-too-large");
    }

    [Fact]
    public async Task Garbage_after_valid_magic_bytes_is_422_not_500()
    {
        var fake = new byte[2000];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(fake, 0);
        await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(_user, fake), HttpStatusCode.UnprocessableEntity, "unreadable-image");
    }

    [Fact]
    public async Task Missing_file_not_multipart_and_anonymous_uploads_are_refused()
    {
        using var onlyCaption = new MultipartFormDataContent { { new StringContent("hi"), "caption" } };
        await ApiClient.AssertProblemAsync(await _user.PostAsync("/api/photos", onlyCaption), HttpStatusCode.BadRequest, "missing-file");
        var json = new StringContent("{}", Encoding.UTF8, "application/json");
        await ApiClient.AssertProblemAsync(await _user.PostAsync("/api/photos", json), HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiClient.UploadAsync(anonymous, TestImages.Jpeg(50, 50))).StatusCode);
    }

    [Fact]
    public async Task A_broken_multipart_body_is_400()
    {
        var body = new ByteArrayContent(Encoding.ASCII.GetBytes("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n\xFF\xD8\xFF trailing without end"));
        body.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        var response = await _user.PostAsync("/api/photos", body);
        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Hides the length so HttpClient must send the body chunked, as a streaming client would.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class PhotoUploadValidationTestsOnPostgres : PhotoUploadValidationTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
