using System.Net;
using System.Net.Sockets;
using System.Text;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.LoadBalancing;

/// <summary>
/// A node that takes the whole request, body included, then dies before answering: the request reached it.
/// A POST with an Idempotency-Key is replayed, body and all, on another node; one without is not retried.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class BodyReplayTests : IAsyncDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private readonly TcpListener _dying = new(IPAddress.Loopback, 0);
    private readonly StringBuilder _received = new();

    [Fact]
    public async Task A_body_that_reached_a_dying_node_is_replayed_only_with_an_idempotency_key()
    {
        var ct = _timeout.Token;
        _dying.Start();
        var accepting = AcceptAndDieAsync(ct);
        await using var node = await TestServer.StartAsync(NodeRole.Web, settings: ["--Web:NodeName=node0"]);
        await using var lb = await TestServer.StartAsync(NodeRole.Lb, settings: [
            $"--LoadBalancing:Destinations:0=http://127.0.0.1:{((IPEndPoint)_dying.LocalEndpoint).Port}",
            $"--LoadBalancing:Destinations:1={node.BaseAddress}",
            "--LoadBalancing:Policy=RoundRobin",
            "--LoadBalancing:HealthCheckInterval=00:05:00",
            "--LoadBalancing:UnhealthyThreshold=100"]);
        using var client = lb.CreateClient();

        var withKey = new List<(HttpStatusCode Status, string? Node, string Body)>();
        for (var i = 0; i < 2; i++)
        {
            using var content = LoadBalancedNodes.SignUp();
            var body = await content.ReadAsStringAsync(ct);
            using var post = new HttpRequestMessage(HttpMethod.Post, "/api/accounts") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            post.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var response = await client.SendAsync(post, ct);
            withKey.Add((response.StatusCode, LoadBalancedNodes.AnsweredBy(response), body));
        }

        Assert.All(withKey, r => Assert.Equal((HttpStatusCode.Created, "node0"), (r.Status, r.Node)));
        lock (_received)
        {
            Assert.Contains(withKey, r => _received.ToString().Contains(r.Body, StringComparison.Ordinal));
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.PostAsync("/api/accounts", LoadBalancedNodes.SignUp(), ct);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.BadGateway], statuses.Order());
        await _timeout.CancelAsync();
        await accepting;
    }

    /// <summary>Reads each request to the end of its body, then resets the connection without a byte of answer.</summary>
    private async Task AcceptAndDieAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                using var socket = await _dying.AcceptSocketAsync(ct);
                var buffer = new byte[64 * 1024];
                var text = new StringBuilder();
                using var read = CancellationTokenSource.CreateLinkedTokenSource(ct);
                read.CancelAfter(TimeSpan.FromSeconds(1));
                try
                {
                    // Until the request has ended: headers and body may arrive in separate reads.
                    while (!RequestComplete(text.ToString()))
                    {
                        var n = await socket.ReceiveAsync(buffer, read.Token);
                        if (n == 0)
                        {
                            break;
                        }

                        text.Append(Encoding.UTF8.GetString(buffer, 0, n));
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                }

                lock (_received)
                {
                    _received.Append(text);
                }

                socket.LingerState = new LingerOption(true, 0);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Whether a whole request is in: headers, then a Content-Length body or a chunked body's last chunk, or none.</summary>
    private static bool RequestComplete(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var headers = text[..end].ToLowerInvariant();
        if (headers.Contains("transfer-encoding: chunked", StringComparison.Ordinal))
        {
            return text.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
        }

        var length = headers.Split("\r\n").FirstOrDefault(h => h.StartsWith("content-length:", StringComparison.Ordinal));
        return length is null || Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= int.Parse(length["content-length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync()
    {
        _dying.Dispose();
        _timeout.Dispose();
        return ValueTask.CompletedTask;
    }
}
