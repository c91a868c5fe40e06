using Scalegram.AppHost;

// No dev certificate and no container runtime here: plain HTTP on loopback, fixed dashboard ports.
foreach (var (key, value) in new[]
{
    ("ASPIRE_ALLOW_UNSECURED_TRANSPORT", "true"),
    ("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "http://127.0.0.1:18889"),
    ("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", "http://127.0.0.1:18890"),
    ("ASPIRE_VERSION_CHECK_DISABLED", "true"),
    ("ASPNETCORE_URLS", "http://127.0.0.1:18888"),
})
{
    if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(key)))
    {
        Environment.SetEnvironmentVariable(key, value);
    }
}

// --install is a bare flag: left in, the command-line configuration would take the next argument as its value.
var install = args.Contains("--install");
var builder = DistributedApplication.CreateBuilder([.. args.Where(arg => arg != "--install")]);
Topology topology;
try
{
    topology = Topology.From(builder.Configuration);
}
catch (ArgumentException e)
{
    // A mistyped option is the user's to fix: say what is wrong, not where in the code.
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (EnginePreflight.Run(topology, install) is { } problem)
{
    Console.Error.WriteLine(problem);
    return 1;
}

var root = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".."));
var state = Path.GetFullPath(builder.Configuration["state-dir"] ?? Path.Combine(root, ".topology", topology.Name));
Directory.CreateDirectory(state);

var settings = new List<string>
{
    "--data-dir", Path.Combine(state, "data"),
    "--Logging:LogLevel:Default=Warning",
    "--Logging:LogLevel:Scalegram=Information",
};
var engines = new List<IResourceBuilder<IResourceWithWaitSupport>>();
if (topology.ReplicatedPostgres)
{
    // A pg_auto_failover formation: the app writes through the multi-host read-write string and finds the standbys among all nodes.
    engines.AddRange(PostgresFormation.Add(builder, root, state));
    settings.Add("--Data:Engine=Postgres");
    settings.Add($"--Data:Postgres:Stores:0:Primary={PostgresFormation.PrimaryConnectionString}");
    settings.AddRange(PostgresFormation.NodeConnectionStrings.Select((node, i) => $"--Data:Postgres:Stores:0:Replicas:{i}={node}"));
}
else if (topology.Postgres)
{
    engines.Add(builder.AddPostgresServer(root, state));
    settings.Add("--Data:Engine=Postgres");
    settings.Add($"--Data:Postgres:Stores:0:Primary=Host=127.0.0.1;Port={Ports.Postgres};Username=postgres;Database=scalegram");
}

if (topology.Redis)
{
    // Primary + replica + 3 sentinels: a Redis failover costs reads a moment of falling back to the database.
    engines.Add(builder.AddRedisServer(root, state));
    engines.AddRange(builder.AddRedisSentinels(root, state));
    settings.Add("--Caching:Engine=Redis");
    settings.Add($"--Redis:Sentinels={string.Join(',', Enumerable.Range(Ports.FirstSentinel, Ports.Sentinels).Select(p => $"127.0.0.1:{p}"))}");
    settings.Add($"--Redis:ServiceName={Engines.SentinelService}");
}

if (topology.RabbitMq && !topology.Redis)
{
    // Separate web and worker processes with only in-process caches: a web node would keep serving
    // what a worker has since changed (a photo 'processing' after it turned ready). Redis invalidates
    // across nodes; without it, no cache.
    settings.Add("--Caching:Disabled=true");
}

if (topology.RabbitMq)
{
    engines.Add(builder.AddRabbitMqServer(root, state));
    settings.Add("--Messaging:Engine=RabbitMq");
    settings.Add($"--Messaging:RabbitMq:Uri=amqp://guest:guest@127.0.0.1:{Ports.RabbitMqAmqp}/");
}

if (topology.S3)
{
    // Blobs in Swift's S3 API, shared by every web node and worker (the access key is the all-in-one's test account).
    engines.Add(builder.AddSwiftServer(root, state));
    settings.Add("--Storage:Engine=S3");
    settings.Add($"--Storage:S3:ServiceUrl=http://127.0.0.1:{Ports.SwiftS3}");
    settings.Add("--Storage:S3:AccessKey=test:tester");
    settings.Add("--Storage:S3:SecretKey=testing");
}

if (topology.Edge)
{
    // Media URLs point at the edge while it answers; workers purge deleted media from it (cdn.purge).
    var edge = $"http://127.0.0.1:{Ports.Edge}";
    settings.Add($"--Cdn:BaseUrl={edge}");
    settings.Add($"--Cdn:PurgeUrls:0={edge}");
    settings.Add($"--Cdn:VarnishStatDirectories:0={Path.Combine(state, "varnish", "n")}");
}

// Without a broker the one node runs web and worker in one process (the embedded queue).
var webRole = topology.RabbitMq ? "web" : "all";
var scraped = new List<ScrapeTarget>();
var behindLoadBalancers = topology.LoadBalancers > 0;
IResourceBuilder<ProjectResource>? firstWeb = null;
for (var i = 0; i < topology.WebNodes; i++)
{
    var port = Ports.Web(topology, i);
    string[] web = behindLoadBalancers
        ?
        [
            // The LBs' namespaces reach the host only at the bridge address; 127.0.0.1 is for host tools and Aspire's check.
            "--urls", $"http://{Ports.Bridge}:{port};http://127.0.0.1:{port}",
            $"--Web:NodeName=web{i}",
            "--Web:KnownNetworks=127.77.0.0/24", // X-Forwarded-For from the LBs is believed, from anyone else not
            "--Web:DrainDelay=00:00:03", // ≥ the LBs' 1 s interval × 1 failure + a probe
        ]
        : ["--urls", $"http://127.0.0.1:{port}"];
    var node = AddNode(builder, $"web{i}", webRole, port, [.. web, .. settings], engines);
    scraped.Add(new ScrapeTarget($"web{i}", "web", $"127.0.0.1:{port}"));
    firstWeb ??= node;
}

for (var i = 0; i < topology.Workers; i++)
{
    var port = Ports.FirstWorker + i;
    var worker = AddNode(builder, $"worker{i}", "worker", port, ["--urls", $"http://127.0.0.1:{port}", .. settings], engines);
    scraped.Add(new ScrapeTarget($"worker{i}", "worker", $"127.0.0.1:{port}"));
    if (firstWeb is not null)
    {
        worker.WaitFor(firstWeb); // the first web node applies the migrations
    }
}

if (behindLoadBalancers)
{
    // Two LBs in namespaces lb0/lb1 behind the floating address; the entry 127.0.0.1:8080 is DNAT'ed to it.
    try
    {
        FloatingAddress.Add(builder, root);
        var destinations = Enumerable.Range(0, topology.WebNodes).Select(i => $"http://{Ports.Bridge}:{Ports.Web(topology, i)}").ToList();
        for (var i = 0; i < topology.LoadBalancers; i++)
        {
            var lb = builder.AddLoadBalancer(i, root, state, destinations);
            builder.AddKeepalived(i, root, state, lb);
            scraped.Add(new ScrapeTarget($"lb{i}", "lb", $"{Ports.LoadBalancerAddress(i)}:{Ports.LoadBalancer}"));
        }
    }
    catch (FileNotFoundException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
}

if (topology.Edge)
{
    // In front of the entry point, so the edge's origin is whichever web node the load balancers pick.
    builder.AddVarnishEdge(root, state);
}

if (topology.Prometheus)
{
    var config = Path.Combine(state, "prometheus.yml");
    var rules = new List<string> { Path.Combine(root, "deploy", "prometheus", "rules", "scalegram.rules.yml") };
    if (topology.ReplicatedPostgres)
    {
        // The replica-lag alert only has series where replicas exist.
        rules.Add(Path.Combine(root, "deploy", "prometheus", "rules", "replicated.rules.yml"));
    }

    File.WriteAllText(config, PrometheusConfig.Render(topology.Name, scraped, rules, Ports.Prometheus));
    builder.AddPrometheusServer(root, state, config);
}

builder.Build().Run();
return 0;

static IResourceBuilder<ProjectResource> AddNode(
    IDistributedApplicationBuilder builder, string name, string role, int port, List<string> settings, List<IResourceBuilder<IResourceWithWaitSupport>> engines)
{
    // settings start with --urls: where the node listens (its Aspire endpoint is 127.0.0.1:port).
    var node = builder.AddProject<Projects.Scalegram>(name, options => options.ExcludeLaunchProfile = true)
        .WithHttpEndpoint(port: port, targetPort: port, isProxied: false)
        .WithArgs(["serve", "--role", role, .. settings])
        .WithHttpHealthCheck("/healthz/ready");
    foreach (var engine in engines)
    {
        node.WaitFor(engine);
    }

    return node;
}
