using System.Net;
using System.Net.Http.Json;
using System.Text;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Security;

/// <summary>Finding 7: JSON endpoints refuse big bodies with 413 before parsing them; uploads keep their own limit.</summary>
public sealed class BodyLimitTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_100_KiB_sign_up_body_is_413()
    {
        using var client = _server.CreateClient();
        var response = await client.PostAsJsonAsync("/api/accounts", new { username = "big_body", password = ApiClient.Password, displayName = new string('x', 100 * 1024) });
        await ApiClient.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-large");
    }

    [Fact]
    public async Task A_big_chunked_body_without_Content_Length_is_413_too()
    {
        using var user = await ApiClient.NewUserAsync(_server);
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"displayName\":\"" + new string('y', 200 * 1024) + "\"}")));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/api/me") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        await ApiClient.AssertProblemAsync(await user.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "too-large");
    }

    [Fact]
    public async Task Uploads_above_the_JSON_limit_still_go_through()
    {
        using var user = await ApiClient.NewUserAsync(_server);
        var image = TestImages.Png(1000, 1000);
        Assert.True(image.Length > 96 * 1024, $"the test image is only {image.Length} bytes");
        Assert.Equal(HttpStatusCode.Accepted, (await ApiClient.UploadAsync(user, image)).StatusCode);
    }
}
