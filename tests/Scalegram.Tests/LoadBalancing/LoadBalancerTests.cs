using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Scalegram.Tests.Infrastructure;
using Yarp.ReverseProxy.Model;

namespace Scalegram.Tests.LoadBalancing;

/// <summary>The `lb` role in front of real web nodes: spreading, skipping a dead node, retries, and 503 when no node is healthy.</summary>
[Collection(HeavyCollection.Name)]
public sealed class LoadBalancerTests : IDisposable
{
    private const string Get = "/api/csrf";

    // Probes so rare that the load balancer still believes in a node the test has stopped.
    private static readonly string[] Blind = ["--LoadBalancing:HealthCheckInterval=00:05:00"];

    // Every test is bounded: a hang fails it instead of the run.
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));

    public void Dispose() => _timeout.Dispose();

    [Fact]
    public async Task Round_robin_sends_each_node_an_equal_share()
    {
        await using var cluster = await LoadBalancedNodes.StartAsync(3, ["--LoadBalancing:Policy=RoundRobin", .. Blind]);
        using var client = cluster.Lb.CreateClient();

        var answeredBy = new List<string?>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await client.GetAsync(Get, _timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answeredBy.Add(LoadBalancedNodes.AnsweredBy(response));
        }

        var counts = answeredBy.GroupBy(n => n).ToDictionary(g => g.Key ?? "lb", g => g.Count());
        Assert.Equal(["node0", "node1", "node2"], counts.Keys.Order());
        Assert.All(counts.Values, c => Assert.Equal(10, c));
    }

    [Fact]
    public async Task A_stopped_node_is_skipped_once_its_probes_fail_and_no_GET_fails_meanwhile()
    {
        await using var cluster = await LoadBalancedNodes.StartAsync(3, ["--LoadBalancing:HealthCheckInterval=00:00:00.200", "--LoadBalancing:HealthCheckTimeout=00:00:00.500"]);
        using var client = cluster.Lb.CreateClient();
        var ct = _timeout.Token;
        var failures = new List<string>();
        var answeredBy = new List<(TimeSpan At, string? Node)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();

        // Four clients in a loop while node0 dies: each GET that lands on it is retried on another node.
        var load = Enumerable.Range(0, 4).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                // When the request was sent: one sent after the stop returned cannot have reached node0.
                var sent = clock.Elapsed;
                using var response = await client.GetAsync(Get, ct);
                lock (answeredBy)
                {
                    answeredBy.Add((sent, LoadBalancedNodes.AnsweredBy(response)));
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Add($"{response.StatusCode} at {clock.Elapsed}");
                    }
                }
            }
        }).ToList();

        await Task.Delay(300, ct);
        await cluster.Nodes[0].StopAsync();
        var stopped = clock.Elapsed;
        await cluster.WaitUntilAsync(d => d.Health.Active == DestinationHealth.Unhealthy, 1, TimeSpan.FromSeconds(5));
        var markedDown = clock.Elapsed;
        await Task.Delay(500, ct);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.Equal(DestinationHealth.Unhealthy, cluster.Destination(0).Health.Active);
        Assert.Contains(answeredBy, a => a.Node == "node0" && a.At < stopped);
        Assert.DoesNotContain(answeredBy, a => a.Node == "node0" && a.At > stopped);
        Assert.Contains(answeredBy, a => a.At > markedDown && a.Node == "node1");
        Assert.Contains(answeredBy, a => a.At > markedDown && a.Node == "node2");
        Assert.True(markedDown - stopped < TimeSpan.FromSeconds(2), $"marked down {markedDown - stopped} after the stop");
    }

    [Fact]
    public async Task A_POST_without_an_idempotency_key_to_a_dead_node_is_not_retried()
    {
        await using var cluster = await LoadBalancedNodes.StartAsync(2, ["--LoadBalancing:Policy=RoundRobin", .. Blind]);
        using var client = cluster.Lb.CreateClient();
        var ct = _timeout.Token;
        await cluster.Nodes[0].StopAsync();

        // Round robin over two nodes: of two POSTs in a row, one goes to the dead node.
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 2; i++)
        {
            statuses.Add(await client.PostAsync("/api/accounts", LoadBalancedNodes.SignUp(), ct));
        }

        var failed = Assert.Single(statuses, r => r.StatusCode == HttpStatusCode.BadGateway);
        Assert.Single(statuses, r => r.StatusCode == HttpStatusCode.Created && LoadBalancedNodes.AnsweredBy(r) == "node1");
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await failed.Content.ReadAsStringAsync(ct));
        Assert.Equal("node-failed", problem.RootElement.GetProperty("code").GetString());
        Assert.Contains("Idempotency-Key", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        statuses.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task A_POST_with_an_idempotency_key_and_a_GET_to_a_dead_node_are_retried_on_another()
    {
        await using var cluster = await LoadBalancedNodes.StartAsync(2, ["--LoadBalancing:Policy=RoundRobin", .. Blind]);
        using var client = cluster.Lb.CreateClient();
        var ct = _timeout.Token;
        await cluster.Nodes[0].StopAsync();

        for (var i = 0; i < 2; i++)
        {
            using var post = new HttpRequestMessage(HttpMethod.Post, "/api/accounts") { Content = LoadBalancedNodes.SignUp() };
            post.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var created = await client.SendAsync(post, ct);
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(ct));
            Assert.Equal("node1", LoadBalancedNodes.AnsweredBy(created));

            using var read = await client.GetAsync(Get, ct);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("node1", LoadBalancedNodes.AnsweredBy(read));
        }

        var metrics = await client.GetStringAsync("/metrics", ct);
        Assert.Matches(@"scalegram_lb_retries_total\{[^}]*failure=""request""[^}]*\} [1-9]", metrics);
        Assert.Contains("scalegram_lb_requests_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("scalegram_lb_destination_up{", metrics, StringComparison.Ordinal);
        Assert.Contains("kestrel_active_connections", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_healthy_node_the_answer_is_503_problem_with_Retry_After_at_once()
    {
        await using var cluster = await LoadBalancedNodes.StartAsync(1, ["--LoadBalancing:HealthCheckInterval=00:00:00.200"]);
        using var client = cluster.Lb.CreateClient();
        var ct = _timeout.Token;
        await cluster.Nodes[0].StopAsync();
        await cluster.WaitUntilAsync(d => d.Health.Active == DestinationHealth.Unhealthy, 1, TimeSpan.FromSeconds(5));

        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync(Get, ct);
        clock.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.Equal("no-healthy-node", problem.RootElement.GetProperty("code").GetString());

        // The load balancer itself is alive but not ready: it has nowhere to send traffic.
        using var live = await client.GetAsync("/healthz/live", ct);
        using var ready = await client.GetAsync("/healthz/ready", ct);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Fact]
    public async Task A_draining_node_gets_no_new_requests_after_a_health_interval_and_nothing_fails()
    {
        await using var cluster = await LoadBalancedNodes.StartAsync(2, ["--LoadBalancing:HealthCheckInterval=00:00:00.200"],
            nodeSettings: _ => ["--Web:DrainDelay=00:00:02"]);
        using var client = cluster.Lb.CreateClient();
        var ct = _timeout.Token;

        var clock = Stopwatch.StartNew();
        var stopping = cluster.Nodes[0].StopAsync();
        var answeredBy = new List<(TimeSpan Sent, string? Node)>();
        while (!stopping.IsCompleted)
        {
            var sent = clock.Elapsed;
            using var response = await client.GetAsync(Get, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answeredBy.Add((sent, LoadBalancedNodes.AnsweredBy(response)));
        }

        await stopping;

        // Nominally within one probe interval (200 ms); the bound leaves room for a loaded machine, below the 2 s drain.
        var lastOnDrained = answeredBy.Where(a => a.Node == "node0").Select(a => a.Sent).DefaultIfEmpty().Max();
        Assert.True(lastOnDrained < TimeSpan.FromMilliseconds(1500), $"node0 still got requests sent {lastOnDrained} after it began to drain");
        Assert.Contains(answeredBy, a => a.Node == "node1" && a.Sent > TimeSpan.FromSeconds(1.5));
    }
}
