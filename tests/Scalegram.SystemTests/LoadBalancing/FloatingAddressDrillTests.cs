using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Scalegram.Roles;
using Scalegram.SystemTests.Drills;
using Scalegram.SystemTests.Infrastructure;
using Scalegram.SystemTests.Topologies;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;
using Xunit.Abstractions;

namespace Scalegram.SystemTests.LoadBalancing;

/// <summary>
/// Two LBs, one address, with the operator's own scripts (deploy/keepalived): lb0 and lb1 in their
/// network namespaces, keepalived moving the floating address 127.77.0.100 between them, two web nodes
/// on the bridge, the client on the host at http://127.0.0.1:8080. kill -9 the LB that holds the
/// address; the client must be served by the other within 3 s. Needs root (namespaces, iptables).
/// </summary>
public sealed class FloatingAddressDrillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Trials = 3;
    private const int Rate = 20; // one operation every 50 ms
    private static readonly TimeSpan Goal = TimeSpan.FromSeconds(3);
    private readonly string _dir = Directory.CreateTempSubdirectory("scalegram-vip-").FullName;
    private readonly string _root = PrometheusConfigTests.RepositoryRoot();
    private readonly List<NodeProcess> _nodes = [];
    private readonly ServerProcess?[] _lbs = new ServerProcess?[2];
    private readonly ServerProcess?[] _keepalived = new ServerProcess?[2];

    public async Task InitializeAsync()
    {
        RequireRoot();
        await Script("network-up.sh");
        var postgres = await PostgresServer.SharedAsync();
        string[] settings =
        [
            "--Data:Engine=Postgres", $"--Data:Postgres:Stores:0:Primary={await postgres.CreateDatabaseAsync("vip")}",
            "--Caching:Disabled=true",
            "--Web:KnownNetworks=127.77.0.0/24",
        ];
        for (var i = 0; i < 2; i++)
        {
            // The bridge address for the LBs in their namespaces, 127.0.0.1 for NodeProcess's readiness probe.
            var port = FreePorts.Next();
            _nodes.Add(await NodeProcess.StartOnUrlsAsync(NodeRole.All, _dir, port, $"http://127.77.0.1:{port};http://127.0.0.1:{port}", settings));
        }

        for (var i = 0; i < 2; i++)
        {
            _lbs[i] = StartLb(i);
        }

        for (var i = 0; i < 2; i++)
        {
            await WaitLbReadyAsync(i);
            _keepalived[i] = ServerProcess.Start("bash", [Keepalived("run-keepalived.sh"), $"{i}", Path.Combine(_dir, "keepalived")], _root, stopSignal: "TERM");
            await Task.Delay(100); // lb0 (priority 150) normally becomes master first
        }

        using var entry = Entry(TimeSpan.FromSeconds(1));
        await Waits.UntilAsync(async () => await OkAsync(entry, "/healthz/ready"), TimeSpan.FromSeconds(20), "http://127.0.0.1:8080 to answer through the floating address");
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _keepalived.Concat(_lbs).OfType<ServerProcess>())
        {
            process.Stop();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        if (Environment.IsPrivilegedProcess)
        {
            await Script("network-down.sh");
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Killing_the_active_lb_moves_traffic_to_the_other_within_3_s()
    {
        var (auth, photoId, user) = await SeedAsync();
        using var writer = Entry(TimeSpan.FromSeconds(2), auth);
        using var reader = Entry(TimeSpan.FromMilliseconds(500), auth);
        var history = new History();
        var gaps = new List<TimeSpan>();
        for (var trial = 1; trial <= Trials; trial++)
        {
            var active = await ActiveAsync();
            var load = OpenLoop.RunAsync(Rate, TimeSpan.FromSeconds(7), n => OperationAsync(writer, reader, history, photoId, user, $"{trial}-{n}", n));
            await Task.Delay(TimeSpan.FromSeconds(2));
            var killedAt = history.Now;
            _lbs[active]!.Crash(); // kill -9 of the LB process inside the namespace that holds the address
            await load;

            var first = history.Of("read").Where(o => o.Invoked >= killedAt && o.Outcome == History.Outcome.Ok).MinBy(o => o.Completed);
            Assert.True(first is not null, $"trial {trial}: no read succeeded after lb{active} was killed:\n{history.Failures("read")}\n{_keepalived[1 - active]!.Output}");
            var gap = first.Completed - killedAt;
            var now = await ActiveAsync();
            var failed = history.Of("read").Count(o => o.Invoked >= killedAt && o.Invoked < first.Invoked && o.Outcome != History.Outcome.Ok);
            output.WriteLine($"trial {trial}: killed lb{active}; first read served {gap.TotalMilliseconds:0} ms later, address now on lb{now}, {failed} reads failed in between");
            Assert.Equal(1 - active, now);
            gaps.Add(gap);

            // Restore: the LB comes back in its namespace; its keepalived leaves FAULT for BACKUP (rise 2 × 1 s).
            var backups = Count(_keepalived[active]!.Output, "Entering BACKUP STATE");
            _lbs[active] = StartLb(active);
            await WaitLbReadyAsync(active);
            await Waits.UntilAsync(() => Task.FromResult(Count(_keepalived[active]!.Output, "Entering BACKUP STATE") > backups), TimeSpan.FromSeconds(15), $"keepalived in lb{active} to be a backup again");
        }

        var sorted = gaps.Order().ToList();
        output.WriteLine($"failover gap over {Trials} trials: min {sorted[0].TotalMilliseconds:0} ms, median {sorted[Trials / 2].TotalMilliseconds:0} ms, max {sorted[^1].TotalMilliseconds:0} ms");
        using var checker = Entry(TimeSpan.FromSeconds(30), auth);
        output.WriteLine(history.Summary());
        await CommentLedger.AssertReadBackAsync(checker, history, photoId, output);
        Assert.All(gaps, gap => Assert.True(gap <= Goal, $"a failover took {gap.TotalMilliseconds:0} ms (goal ≤ {Goal.TotalMilliseconds} ms)"));
    }

    /// <summary>Not root: fail, saying why; a drill that silently skips proves nothing.</summary>
    internal static void RequireRoot() => Assert.True(
        Environment.IsPrivilegedProcess,
        "This test needs root: deploy/keepalived makes network namespaces, a bridge and iptables NAT rules, and runs keepalived. Run the system tests as root (tests/run.sh installs keepalived, iptables and curl).");

    private ServerProcess StartLb(int i) => ServerProcess.Start("bash",
    [
        Keepalived("run-lb.sh"), $"{i}", Path.Combine(AppContext.BaseDirectory, "scalegram.dll"),
        "--data-dir", Path.Combine(_dir, $"lb{i}"),
        "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Scalegram=Information",
        "--LoadBalancing:HealthCheckInterval=00:00:01", "--LoadBalancing:DrainDelay=00:00:00",
        .. _nodes.Select((n, k) => $"--LoadBalancing:Destinations:{k}=http://127.77.0.1:{n.Port}"),
    ], _root, stopSignal: "TERM");

    private async Task WaitLbReadyAsync(int i)
    {
        using var own = new HttpClient { BaseAddress = new Uri($"http://127.77.0.1{i}:8080"), Timeout = TimeSpan.FromSeconds(1) };
        await Waits.UntilAsync(
            async () => _lbs[i]!.HasExited ? throw new InvalidOperationException($"lb{i} exited:\n{_lbs[i]!.Output}") : await OkAsync(own, "/healthz/ready"),
            TimeSpan.FromSeconds(60), $"lb{i} to be ready at 127.77.0.1{i}:8080");
    }

    /// <summary>The LB whose namespace holds the floating address, once exactly one does.</summary>
    private static async Task<int> ActiveAsync()
    {
        var holder = -1;
        await Waits.UntilAsync(async () =>
        {
            var holders = new List<int>();
            for (var i = 0; i < 2; i++)
            {
                if ((await RunAsync("ip", "-n", $"lb{i}", "-4", "-o", "addr", "show", "dev", "eth0")).Contains("127.77.0.100/", StringComparison.Ordinal))
                {
                    holders.Add(i);
                }
            }

            holder = holders.Count == 1 ? holders[0] : -1;
            return holder >= 0;
        }, TimeSpan.FromSeconds(10), "exactly one namespace to hold 127.77.0.100");
        return holder;
    }

    private static async Task<(AuthenticationHeaderValue Auth, string PhotoId, string User)> SeedAsync()
    {
        using var anonymous = Entry(TimeSpan.FromSeconds(30));
        var user = ApiClient.NewName("vip");
        Assert.Equal(HttpStatusCode.Created, (await anonymous.PostAsJsonAsync("/api/accounts", new { username = user, password = ApiClient.Password })).StatusCode);
        var auth = new AuthenticationHeaderValue("Bearer", await ApiClient.TokenAsync(anonymous, user));
        using var client = Entry(TimeSpan.FromSeconds(30), auth);
        var photo = await ApiClient.UploadReadyAsync(client, TestImages.Jpeg(320, 240), caption: "vip");
        return (auth, photo.GetProperty("id").GetString()!, user);
    }

    /// <summary>One in five operations writes a keyed comment; the rest read a profile with a 0.5 s timeout.</summary>
    private static Task OperationAsync(HttpClient writer, HttpClient reader, History history, string photoId, string user, string key, long n) => n % 5 == 0
        ? CommentLedger.WriteAsync(writer, history, photoId, key)
        : history.RecordAsync("read", key, async () =>
        {
            using var response = await reader.GetAsync($"/api/users/{user}");
            return (response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        });

    private static HttpClient Entry(TimeSpan timeout, AuthenticationHeaderValue? auth = null)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri("http://127.0.0.1:8080"), Timeout = timeout };
        client.DefaultRequestHeaders.Authorization = auth;
        return client;
    }

    private static async Task<bool> OkAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static int Count(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    private string Keepalived(string script) => Path.Combine(_root, "deploy", "keepalived", script);

    private Task Script(string name) => ServerProcess.RunAsync("bash", Keepalived(name));

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return text;
    }
}
