using Scalegram.Bench;
using Scalegram.Bench.Workloads;

namespace Scalegram.Tests.Bench;

public sealed class WorkloadTests
{
    [Theory]
    [InlineData("read-heavy")]
    [InlineData("upload")]
    [InlineData("mixed")]
    public void Every_workload_weighs_to_100(string name) =>
        Assert.Equal(100, WorkloadMix.Named(name).Operations.Sum(o => o.Weight), tolerance: 1e-9);

    [Fact]
    public void Read_heavy_is_90_percent_reads()
    {
        string[] reads = ["feed", "profile", "photo", "user-photos"];
        Assert.Equal(90, WorkloadMix.ReadHeavy.Operations.Where(o => reads.Contains(o.Operation)).Sum(o => o.Weight));
    }

    [Fact]
    public void Mixed_views_photos_like_a_browser_so_media_is_fetched()
    {
        Assert.Contains(WorkloadMix.Mixed.Operations, o => o.Operation == "view" && o.Weight > 0);
        Assert.DoesNotContain(WorkloadMix.ReadHeavy.Operations, o => o.Operation == "view"); // its figures stay comparable with earlier runs
    }

    [Fact]
    public void Picks_follow_the_weights()
    {
        var random = new Random(1);
        var counts = Enumerable.Range(0, 100_000).Select(_ => WorkloadMix.Mixed.Pick(random)).GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(30_000, counts["feed"], tolerance: 1_000);
        Assert.Equal(1_000, counts["signup"], tolerance: 300);
    }

    [Fact]
    public void Zipf_ranks_stay_in_range_and_favour_the_head()
    {
        var random = new Random(2);
        var counts = new int[1000];
        for (var i = 0; i < 200_000; i++)
        {
            counts[Zipf.Rank(random, counts.Length)]++;
        }

        // P(rank 0) = ln 2 / ln 1001 (about 10 %); rank 9 about 1/10 of that.
        Assert.Equal(200_000 * Math.Log(2) / Math.Log(1001), counts[0], tolerance: 1_500);
        Assert.True(counts[0] > 5 * counts[9], $"rank 0: {counts[0]}, rank 9: {counts[9]}");
        Assert.True(counts.Take(100).Sum() > counts.Skip(100).Sum(), "the top 10 % of items draw most of the traffic");
        Assert.Equal(0, Zipf.Rank(random, 1));
    }

    [Fact]
    public void Prometheus_text_is_read_and_summed_by_label()
    {
        const string text = """
            # TYPE scalegram_cache_requests_total counter
            scalegram_cache_requests_total{otel_scope_name="Scalegram",entry="user",result="hit"} 10
            scalegram_cache_requests_total{otel_scope_name="Scalegram",entry="photo",result="hit"} 5
            scalegram_cache_requests_total{otel_scope_name="Scalegram",entry="photo",result="miss"} 3
            scalegram_queue_depth{queue="photos",state="ready"} 4 1700000000000
            target_info{service_name="a \"quoted\" name"} 1
            up 1
            """;
        var samples = PrometheusText.Parse(text);
        Assert.Equal(15, PrometheusText.Sum(samples, "scalegram_cache_requests_total", ("result", "hit")));
        Assert.Equal(18, PrometheusText.Sum(samples, "scalegram_cache_requests_total"));
        Assert.Equal(4, PrometheusText.Sum(samples, "scalegram_queue_depth", ("state", "ready")));
        Assert.Equal("a \"quoted\" name", samples.Single(s => s.Name == "target_info").Labels["service_name"]);
        Assert.Equal(1, PrometheusText.Sum(samples, "up"));
    }
}
