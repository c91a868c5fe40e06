using System.Net;
using System.Net.Http.Json;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Observability;

/// <summary>/metrics on a real node exposes every series the issue names, after real traffic.</summary>
/// <remarks>
/// Runs alone: with many nodes starting and stopping in one test process, a node's Prometheus
/// exporter was seen scraping no instruments at all (a one-node-per-process deployment never does;
/// the kill -9 test checks /metrics on the real executable).
/// </remarks>
[Collection(nameof(Api.OperationsEndpointTests))]
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Metrics_expose_http_db_cache_queue_pipeline_and_business_series()
    {
        using var alice = await ApiClient.SignedInAsync(_server, "alice_m");
        using var bob = await ApiClient.SignedInAsync(_server, "bob_m");
        Assert.Equal(HttpStatusCode.NoContent, (await bob.PutAsync("/api/me/following/alice_m", null)).StatusCode);
        var photoId = await ApiClient.UploadOkAsync(alice, TestImages.Jpeg());
        Assert.Equal("ready", (await ApiClient.WaitForPhotoAsync(alice, photoId)).GetProperty("status").GetString());
        Assert.True((await bob.PutAsync($"/api/photos/{photoId}/like", null)).IsSuccessStatusCode);
        Assert.True((await bob.PostAsJsonAsync($"/api/photos/{photoId}/comments", new { text = "lovely" })).IsSuccessStatusCode);
        Assert.True((await bob.GetAsync("/api/feed")).IsSuccessStatusCode);
        Assert.True((await bob.GetAsync($"/api/photos/{photoId}")).IsSuccessStatusCode);
        Assert.True((await bob.GetAsync($"/api/photos/{photoId}")).IsSuccessStatusCode);

        string[] expected =
        [
            "http_server_request_duration_seconds_bucket{", // rate, errors and duration, by route:
            "http_route=\"/api/feed\"",
            "http_route=\"/api/photos/{id:long}\"",
            "http_response_status_code=\"202\"",
            "scalegram_db_calls_total{otel_scope_name=\"Scalegram\",role=\"primary\",store=\"store0\"}",
            "scalegram_cache_requests_total{otel_scope_name=\"Scalegram\",entry=\"photo\",result=\"hit\"}",
            "scalegram_cache_requests_total{otel_scope_name=\"Scalegram\",entry=\"photo\",result=\"miss\"}",
            "scalegram_cache_evictions_total{",
            "scalegram_queue_depth{otel_scope_name=\"Scalegram\",queue=\"photos\",state=\"ready\"}",
            "scalegram_queue_oldest_age_seconds{otel_scope_name=\"Scalegram\",queue=\"photos\",state=\"ready\"}",
            "scalegram_queue_jobs_total{otel_scope_name=\"Scalegram\",outcome=\"ok\",queue=\"photos\",type=\"photo.process\"}",
            "scalegram_queue_job_duration_seconds_bucket{otel_scope_name=\"Scalegram\",queue=\"photos\",type=\"photo.process\"",
            "scalegram_pipeline_stage_duration_seconds_bucket{otel_scope_name=\"Scalegram\",stage=\"decode\"",
            "scalegram_pipeline_stage_duration_seconds_bucket{otel_scope_name=\"Scalegram\",stage=\"encode\"",
            "scalegram_business_events_total{otel_scope_name=\"Scalegram\",event=\"signup\"}",
            "scalegram_business_events_total{otel_scope_name=\"Scalegram\",event=\"login\"}",
            "scalegram_business_events_total{otel_scope_name=\"Scalegram\",event=\"upload\"}",
            "scalegram_business_events_total{otel_scope_name=\"Scalegram\",event=\"like\"}",
            "scalegram_business_events_total{otel_scope_name=\"Scalegram\",event=\"comment\"}",
            "scalegram_business_events_total{otel_scope_name=\"Scalegram\",event=\"follow\"}",
            "scalegram_business_daily_active_users{otel_scope_name=\"Scalegram\"} 2",
        ];

        // Gauges are refreshed in the background every 2 s; wait (bounded) for a scrape that has them all.
        using var anonymous = _server.CreateClient();
        var text = "";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            text = await anonymous.GetStringAsync("/metrics");
            if (expected.All(text.Contains))
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.All(expected, series => Assert.Contains(series, text));
    }
}
