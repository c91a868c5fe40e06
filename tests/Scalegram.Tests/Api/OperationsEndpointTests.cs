using System.Net;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Api;

/// <summary>
/// Health, metrics, OpenAPI and the media origin. Not run beside other test servers: several
/// hosts in one process confuse which host's ASP.NET Core meters reach which /metrics.
/// </summary>
[Collection(nameof(OperationsEndpointTests))]
public class OperationsEndpointTests : ApiTestBase
{
    [Fact]
    public async Task Health_endpoints_answer_200()
    {
        using var client = Server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);
    }

    [Fact]
    public async Task Metrics_show_request_durations_and_scalegram_series()
    {
        using var user = await ApiClient.NewUserAsync(Server, "metrics");
        await ApiClient.UploadReadyAsync(user, TestImages.Jpeg(200, 150));
        await user.GetAsync($"/api/users/{await ApiClient.UsernameAsync(user)}");

        using var client = Server.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string text;
        do
        {
            var response = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            await Task.Delay(100);
        }
        while (!text.Contains("scalegram_queue_depth", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        Assert.Contains("http_server_request_duration_seconds_bucket", text);
        Assert.Contains("http_route=\"/api/users/{username}\"", text);
        Assert.Contains("scalegram_queue_jobs_total", text);
        Assert.Contains("scalegram_queue_job_duration_seconds", text);
        Assert.Contains("scalegram_cache_requests_total", text);
        Assert.Contains("scalegram_queue_depth", text);
    }

    [Fact]
    public async Task OpenApi_document_is_valid_json_listing_the_api()
    {
        using var client = Server.CreateClient();
        var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/api/accounts", "/api/sessions", "/api/sessions/current", "/api/me", "/api/users/{username}", "/api/users/{username}/photos", "/api/me/following/{username}", "/api/photos", "/api/photos/{id}", "/api/photos/{id}/like", "/api/photos/{id}/comments", "/api/feed" })
        {
            Assert.Contains(path, paths);
        }
    }

    [Theory]
    [InlineData("/media/p/1/nothing-here.jpg")]
    [InlineData("/media/originals/1-abc.jpg")]
    [InlineData("/media/p/../originals/x.jpg")]
    [InlineData("/media/p/%2e%2e/originals/x.jpg")]
    [InlineData("/media/P/1/UPPER.jpg")]
    [InlineData("/media/p/1/file.exe")]
    public async Task Unknown_or_forbidden_media_is_404(string path)
    {
        using var client = Server.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Originals_are_never_served_even_when_they_exist()
    {
        using var user = await ApiClient.NewUserAsync(Server, "orig");
        var id = (await ApiClient.UploadReadyAsync(user, TestImages.Jpeg(200, 150))).GetProperty("id").GetString();
        var blobs = (Scalegram.Storage.LocalBlobStore)Server.Services.GetService(typeof(Scalegram.Storage.IBlobStore))!;
        var original = Path.GetRelativePath(blobs.Root, Directory.EnumerateFiles(Path.Combine(blobs.Root, "originals"), $"{id}-*").Single()).Replace('\\', '/');

        using var client = Server.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/media/{original}")).StatusCode);
    }
}

/// <summary>Runs <see cref="OperationsEndpointTests"/> alone.</summary>
[CollectionDefinition(nameof(OperationsEndpointTests), DisableParallelization = true)]
public sealed class OperationsEndpointCollection;

/// <summary>The same tests on PostgreSQL.</summary>
[Collection(nameof(OperationsEndpointTests))]
public sealed class OperationsEndpointTestsOnPostgres : OperationsEndpointTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
