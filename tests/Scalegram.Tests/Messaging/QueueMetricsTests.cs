using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Accounts;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Messaging;

/// <summary>
/// Each queue's backlog and throughput show in /metrics and on the ops page from the start (at 0), how long jobs
/// waited shows once they ran, and `serve --queues` limits what a worker consumes (and so the throughput it reports).
/// </summary>
[Collection(nameof(Api.OperationsEndpointTests))]
public sealed class QueueMetricsTests
{
    private static readonly string[] Queues = ["feed", "maintenance", "photos", "social"];

    [Fact]
    public async Task Every_queue_has_depth_age_and_throughput_series_and_an_ops_row()
    {
        await using var server = await TestServer.StartAsync();
        using var admin = await ApiClient.SignedInAsync(server, "queueadmin");
        Assert.True(await server.Services.GetRequiredService<AccountService>().SetAdminAsync("queueadmin", true, CancellationToken.None));
        await ApiClient.UploadReadyAsync(admin, TestImages.Jpeg(320, 240));

        string text = "";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            text = await admin.GetStringAsync("/metrics");
            if (Queues.All(q => text.Contains($"scalegram_queue_depth{{otel_scope_name=\"Scalegram\",queue=\"{q}\",state=\"ready\"}}", StringComparison.Ordinal))
                && text.Contains("scalegram_queue_job_wait_seconds_bucket{otel_scope_name=\"Scalegram\",queue=\"photos\"", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(200);
        }

        foreach (var q in Queues)
        {
            Assert.Contains($"scalegram_queue_depth{{otel_scope_name=\"Scalegram\",queue=\"{q}\",state=\"ready\"}}", text, StringComparison.Ordinal);
            Assert.Contains($"scalegram_queue_oldest_age_seconds{{otel_scope_name=\"Scalegram\",queue=\"{q}\",state=\"ready\"}}", text, StringComparison.Ordinal);
            Assert.Contains($"scalegram_queue_jobs_total{{otel_scope_name=\"Scalegram\",outcome=\"ok\",queue=\"{q}\",", text, StringComparison.Ordinal);
        }

        Assert.Contains("scalegram_queue_job_wait_seconds_bucket{otel_scope_name=\"Scalegram\",queue=\"photos\"", text, StringComparison.Ordinal);

        var rows = await admin.GetFromJsonAsync<JsonElement>("/api/ops/queues");
        Assert.Equal(Queues, rows.EnumerateArray().Select(r => r.GetProperty("queue").GetString()));
        var photos = rows.EnumerateArray().Single(r => r.GetProperty("queue").GetString() == "photos");
        Assert.True(photos.GetProperty("ok").GetInt64() >= 1);
    }

    [Fact]
    public async Task A_worker_started_with_queues_photos_reports_throughput_for_photos_only()
    {
        var dir = Path.Combine(Path.GetTempPath(), "scalegram-queues-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var worker = await NodeProcess.StartAsync(NodeRole.Worker, dir, "--queues", "photos");
            using var client = worker.CreateClient();
            var text = await client.GetStringAsync("/metrics");
            Assert.Contains("scalegram_queue_jobs_total{otel_scope_name=\"Scalegram\",outcome=\"ok\",queue=\"photos\",type=\"photo.process\"} 0", text, StringComparison.Ordinal);
            Assert.DoesNotContain("scalegram_queue_jobs_total{otel_scope_name=\"Scalegram\",outcome=\"ok\",queue=\"social\"", text, StringComparison.Ordinal);
            Assert.DoesNotContain("scalegram_queue_jobs_total{otel_scope_name=\"Scalegram\",outcome=\"ok\",queue=\"feed\"", text, StringComparison.Ordinal);
            Assert.Contains("Working queue photos", worker.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Working queue social", worker.Output, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Theory]
    [InlineData("worker", "photos,nope", "unknown: nope")]
    [InlineData("worker", " , ", "--queues must be a comma-separated list of feed, maintenance, photos, social")]
    [InlineData("web", "photos", "--queues applies to --role worker or all")]
    public async Task A_bad_queues_value_exits_with_a_clear_error(string role, string queues, string expected)
    {
        await using var cli = CliProcess.Start("serve", "--role", role, "--queues", queues, "--data-dir", Path.Combine(Path.GetTempPath(), "scalegram-badq-" + Guid.NewGuid().ToString("N")));
        Assert.Equal(2, await cli.WaitForExitAsync());
        Assert.Contains(expected, cli.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_queue_in_the_settings_stops_the_node_at_start_naming_the_key()
    {
        await using var cli = CliProcess.Start("serve", "--role", "worker", "--urls", "http://127.0.0.1:0", "--data-dir", Path.Combine(Path.GetTempPath(), "scalegram-badq-" + Guid.NewGuid().ToString("N")), "--Messaging:Queues:photoz:Concurrency=2");
        Assert.NotEqual(0, await cli.WaitForExitAsync());
        Assert.Contains("Messaging:Queues:photoz is not a queue; the queues are feed, maintenance, photos, social.", cli.Errors + string.Join('\n', cli.Lines), StringComparison.Ordinal);
    }
}
