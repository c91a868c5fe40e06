using System.Net;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Api;

/// <summary>The real 25 MB limit and the real 50-megapixel limit, at their default settings.</summary>
public class UploadLimitTests : ApiTestBase
{
    private HttpClient _user = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _user = await ApiClient.NewUserAsync(Server, "limits");
    }

    public override async Task DisposeAsync()
    {
        _user.Dispose();
        await base.DisposeAsync();
    }

    private static byte[] JpegPaddedTo(int size)
    {
        var bytes = new byte[size];
        TestImages.Jpeg(64, 64).CopyTo(bytes, 0);
        return bytes;
    }

    [Fact]
    public async Task A_26_MB_upload_is_refused_with_413()
    {
        await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(_user, JpegPaddedTo(26 * 1024 * 1024)), HttpStatusCode.RequestEntityTooLarge, "upload-too-large");
    }

    [Fact]
    public async Task A_26_MB_upload_without_a_content_length_is_refused_while_streaming()
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StreamContent(new UnknownLengthStream(JpegPaddedTo(26 * 1024 * 1024))), "file", "photo.jpg");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/photos") { Content = form };
        request.Headers.TransferEncodingChunked = true;
        try
        {
            await ApiClient.AssertProblemAsync(await _user.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "upload-too-large");
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
            // Also a refusal while streaming: the server answered 413 and closed the connection
            // before the client had finished sending, so the client saw a broken pipe instead.
        }

        // Nothing of it is left in the spool.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Server.DataDir, "tmp")));
    }

    [Fact]
    public async Task A_real_flat_png_over_50_megapixels_is_refused_at_upload()
    {
        // 8000×8000 = 64 MP of one colour: a few hundred kB on the wire, 64 MB+ if decoded.
        var bomb = TestImages.FlatPng(8000, 8000);
        var problem = await ApiClient.AssertProblemAsync(await ApiClient.UploadAsync(_user, bomb), HttpStatusCode.UnprocessableEntity, "image-too-large");
        Assert.Contains("50 megapixels", problem.GetProperty("detail").GetString());
    }

    /// <summary>Hides the length so HttpClient must send the body chunked, as a streaming client would.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}

/// <summary>The same tests on PostgreSQL.</summary>
public sealed class UploadLimitTestsOnPostgres : UploadLimitTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
