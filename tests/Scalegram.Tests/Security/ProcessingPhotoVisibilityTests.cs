using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Security;

/// <summary>
/// A photo still processing, or failed with the decoder's error, is its owner's alone: others (signed in
/// or not) get 404 from the API, the page and its comments, and cannot like or comment on it.
/// </summary>
public sealed class ProcessingPhotoVisibilityTests
{
    private static async Task AssertHiddenAsync(TestServer server, HttpClient owner, HttpClient other, string id)
    {
        using var anonymous = server.CreateClient();
        foreach (var client in new[] { other, anonymous })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/photos/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/photos/{id}/comments")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/p/{id}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsync($"/api/photos/{id}/like", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/photos/{id}/comments", new { text = "peek" })).StatusCode);

        // The owner still sees it, status and all.
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/photos/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/p/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_processing_photo_is_404_to_everyone_but_its_owner()
    {
        // A web node alone: no worker runs, so the photo stays processing for as long as the test needs.
        await using var server = await TestServer.StartAsync(NodeRole.Web, settings: await TestEngines.FreshDatabaseAsync(TestEngine.Sqlite));
        using var owner = await ApiClient.NewUserAsync(server, "vis_o");
        using var other = await ApiClient.NewUserAsync(server, "vis_x");
        var id = await ApiClient.UploadOkAsync(owner, TestImages.Jpeg());
        var photo = JsonDocument.Parse(await owner.GetStringAsync($"/api/photos/{id}")).RootElement;
        Assert.Equal("processing", photo.GetProperty("status").GetString());

        await AssertHiddenAsync(server, owner, other, id);
    }

    [Fact]
    public async Task A_failed_photo_and_its_decoder_error_are_404_to_everyone_but_its_owner()
    {
        await using var server = await TestServer.StartAsync(settings: await TestEngines.FreshDatabaseAsync(TestEngine.Sqlite));
        using var owner = await ApiClient.NewUserAsync(server, "vis_o");
        using var other = await ApiClient.NewUserAsync(server, "vis_x");
        var id = await ApiClient.UploadOkAsync(owner, TestImages.TruncatedJpeg());
        Assert.Equal("failed", (await ApiClient.WaitForPhotoAsync(owner, id)).GetProperty("status").GetString());

        await AssertHiddenAsync(server, owner, other, id);
    }

    [Fact]
    public async Task A_ready_photo_is_visible_to_everyone()
    {
        await using var server = await TestServer.StartAsync(settings: await TestEngines.FreshDatabaseAsync(TestEngine.Sqlite));
        using var owner = await ApiClient.NewUserAsync(server, "vis_o");
        using var anonymous = server.CreateClient();
        var id = (await ApiClient.UploadReadyAsync(owner, TestImages.Jpeg())).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/photos/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/p/{id}")).StatusCode);
    }
}
