using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Accounts;
using Scalegram.Data.Replication;
using Scalegram.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scalegram.Tests.Replication;

/// <summary>
/// Lag-aware routing against a real standby: one lagging past Data:Postgres:MaxReplicaLag gets no reads (so
/// nobody reads data that old), kill -9 of the standby under reads fails none of them, and the lag, read and
/// skip series show on /metrics.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class ReplicaRoutingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_standby_lagging_past_MaxReplicaLag_is_skipped_and_its_readers_get_fresh_data()
    {
        await using var nodes = await ReplicatedNode.StartAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));
        using var writer = await ApiClient.NewUserAsync(nodes.Server, "w");
        using var other = await ApiClient.NewUserAsync(nodes.Server, "o");
        var photoId = await ApiClient.UploadOkAsync(writer, TestImages.Jpeg(200, 200));
        await nodes.Replica.CatchUpAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Created, (await writer.PostAsJsonAsync($"/api/photos/{photoId}/comments", new { text = "fresh" })).StatusCode);
        var replica = ReplicatedNode.ReplicaOf(nodes.Server);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (replica.State.Lag <= TimeSpan.FromSeconds(1))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the monitor never saw the delayed standby lag past 1 s (lag {replica.State.Lag})");
            await Task.Delay(20);
        }

        output.WriteLine($"delayed standby: lag {replica.State.Lag.TotalMilliseconds:F0} ms, {replica.State.LagBytes} bytes");
        Assert.Contains("fresh", await other.GetStringAsync($"/api/photos/{photoId}/comments"));
        using var anonymous = nodes.Server.CreateClient();
        Assert.True(await Scrape.SumAsync(anonymous, "scalegram_db_replica_skipped_total", "reason=\"lag\"") >= 1);
    }

    [Fact]
    public async Task Kill_9_of_the_standby_under_reads_fails_no_read_and_lag_shows_on_metrics()
    {
        await using var nodes = await ReplicatedNode.StartAsync(TimeSpan.Zero, TimeSpan.FromSeconds(5));
        using var admin = await ApiClient.SignedInAsync(nodes.Server, "opsadmin");
        Assert.True(await nodes.Server.Services.GetRequiredService<AccountService>().SetAdminAsync("opsadmin", true, CancellationToken.None));
        using var writer = await ApiClient.NewUserAsync(nodes.Server, "w");
        var photoId = await ApiClient.UploadOkAsync(writer, TestImages.Jpeg(200, 200));
        using var readers = await ApiClient.NewUserAsync(nodes.Server, "r");
        using var anonymous = nodes.Server.CreateClient();

        // A small write load (a comment every 50 ms): how long the standby takes to replay each, and the lag the
        // monitor reports meanwhile (the figures in docs/data.md).
        var replay = new List<double>();
        var reported = new List<double>();
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await writer.PostAsJsonAsync($"/api/photos/{photoId}/comments", new { text = $"c{i}" })).StatusCode);
            replay.Add((await nodes.Replica.TimeToReplayAsync()).TotalMilliseconds);
            reported.Add(ReplicatedNode.ReplicaOf(nodes.Server).State.Lag.TotalMilliseconds);
            await Task.Delay(50);
        }

        replay.Sort();
        output.WriteLine($"standby replay after each commit under ~15 writes/s: median {replay[replay.Count / 2]:F1} ms, max {replay[^1]:F1} ms; lag the monitor reported: max {reported.Max():F1} ms, {ReplicatedNode.ReplicaOf(nodes.Server).State.LagBytes} bytes at the end");
        var metrics = await anonymous.GetStringAsync("/metrics");
        Assert.Single(Scrape.Samples(metrics, "scalegram_db_replica_lag_seconds"), s => s.Labels.Contains("store=\"store0\"", StringComparison.Ordinal) && s.Labels.Contains("replica=", StringComparison.Ordinal));
        Assert.Single(Scrape.Samples(metrics, "scalegram_db_replica_lag_bytes"), s => s.Labels.Contains("store=\"store0\"", StringComparison.Ordinal));
        Assert.Contains(Scrape.Samples(metrics, "scalegram_db_reads_total"), s => s.Labels.Contains("target=\"replica\"", StringComparison.Ordinal));
        var ops = await admin.GetFromJsonAsync<JsonElement>("/api/ops/replicas");
        Assert.Equal("standby", ops[0].GetProperty("nodes")[0].GetProperty("role").GetString());
        Assert.True(ops[0].GetProperty("nodes")[0].TryGetProperty("lagMs", out _));

        // Readers keep reading (uncached: comments and feed) while the standby is killed.
        var ok = 0;
        var failed = new List<string>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var path in new[] { $"/api/photos/{photoId}/comments", "/api/feed" })
                {
                    var response = await readers.GetAsync(path, CancellationToken.None);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref ok);
                    }
                    else
                    {
                        var body = await response.Content.ReadAsStringAsync();
                        lock (failed)
                        {
                            failed.Add($"{path}: {(int)response.StatusCode} {body}");
                        }
                    }
                }
            }
        }).ToList();
        await Task.Delay(1000);
        var retriesBefore = await Scrape.SumAsync(anonymous, "scalegram_db_read_retries_total");
        nodes.Replica.Kill();
        await Task.Delay(2000);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var retries = await Scrape.SumAsync(anonymous, "scalegram_db_read_retries_total") - retriesBefore;
        output.WriteLine($"reads during kill -9 of the standby: {ok} ok, {failed.Count} failed, {retries} retried on another node");
        Assert.Empty(failed);
        Assert.True(ok > 0);
        Assert.Equal(ReplicaRole.Down, ReplicatedNode.ReplicaOf(nodes.Server).State.Role);
        Assert.Equal("down", (await admin.GetFromJsonAsync<JsonElement>("/api/ops/replicas"))[0].GetProperty("nodes")[0].GetProperty("role").GetString());
    }
}
