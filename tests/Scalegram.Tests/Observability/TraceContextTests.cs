using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Observability;

/// <summary>A trace follows an upload from the web request through the queue into the worker's job.</summary>
public sealed class TraceContextTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_photo_job_continues_the_upload_requests_trace()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var jobs = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Scalegram",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.TraceId == traceId)
                {
                    jobs.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var alice = await ApiClient.SignedInAsync(_server, "alice_t");
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(TestImages.Jpeg());
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", "photo.jpg");
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/photos") { Content = form };
        upload.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var response = await alice.SendAsync(upload);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var photoId = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(response.Content)).GetProperty("id").GetString()!;
        Assert.Equal("ready", (await ApiClient.WaitForPhotoAsync(alice, photoId)).GetProperty("status").GetString());

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!jobs.Any(a => a.DisplayName == "job photo.process") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var job = Assert.Single(jobs, a => a.DisplayName == "job photo.process");
        Assert.Equal(ActivityKind.Consumer, job.Kind);
        Assert.Equal(traceId, job.TraceId);
        Assert.Equal("ok", job.GetTagItem("scalegram.job.outcome"));
    }
}
