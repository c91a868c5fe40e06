using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Scalegram.Data;
using Scalegram.Data.Ids;
using Scalegram.Data.Migrations;
using Scalegram.Jobs;
using Scalegram.Messaging;
using Scalegram.Observability;

namespace Scalegram.Tests.Messaging;

/// <summary>A real SQLite store with the jobs table, a fake clock, and the embedded queue over it.</summary>
internal sealed class QueueHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private QueueHarness(string dir, ServiceProvider services, Database db, FakeTimeProvider clock)
    {
        Dir = dir;
        _services = services;
        Database = db;
        Clock = clock;
        Metrics = services.GetRequiredService<ScalegramMetrics>();
        Signal = new JobSignal();
        // The product's job types plus the ones these tests send to exercise the queue itself.
        var ids = new IdGenerator(clock);
        ids.Start(new NodeLease(0, "queue-harness", 0, ScalegramId.MaxMillis));
        Outbox = new Outbox(ids, clock, Signal, Catalog);
    }

    public const string TestType = "photo.test";

    /// <summary>The product's job types plus test types on the photos, feed and social queues.</summary>
    public static readonly JobCatalog Catalog = new([.. JobTypes.All, new(TestType, "photos"), new("photo.unknown", "photos"), new("feed.test", "feed"), new("social.test", "social")]);

    public string Dir { get; }

    public Database Database { get; }

    public FakeTimeProvider Clock { get; }

    public ScalegramMetrics Metrics { get; }

    public JobSignal Signal { get; }

    public Outbox Outbox { get; }

    public PhysicalStore Store => Database.Stores[0];

    public static async Task<QueueHarness> CreateAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "scalegram-queue-" + Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection().AddMetrics().AddSingleton<ScalegramMetrics>().BuildServiceProvider();
        var db = DataTier.Create(new DataOptions { Directory = dir }, services.GetRequiredService<ScalegramMetrics>());
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAllAsync();
        return new QueueHarness(dir, services, db, new FakeTimeProvider(ScalegramId.Epoch.AddDays(100)));
    }

    public EmbeddedQueue NewQueue() => new(Database, Clock);

    public async Task EnqueueAsync(string type, object payload)
    {
        await using var connection = await Store.Primary.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await Outbox.EnqueueAsync(tx, 1, type, payload, CancellationToken.None);
        await Outbox.CommitAsync(tx);
    }

    public async Task<JobState?> JobAsync()
    {
        await using var connection = await Store.Primary.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<JobState>(
            "SELECT state, attempts, run_after AS runAfter, last_error AS lastError FROM jobs");
    }

    /// <summary>Who holds the (single) job's lease and until when; (null, null) once it is released.</summary>
    public async Task<(string? LeasedBy, long? LeaseUntil)> LeaseAsync()
    {
        await using var connection = await Store.Primary.OpenAsync();
        return await connection.QuerySingleAsync<(string?, long?)>("SELECT leased_by, lease_until FROM jobs");
    }

    public JobWorker NewWorker(IJobHandler handler, int maxAttempts = 3, TimeSpan? retryBase = null, EmbeddedQueue? queue = null) =>
        NewWorker([handler], o =>
        {
            o.MaxAttempts = maxAttempts;
            o.RetryBaseDelay = retryBase ?? TimeSpan.FromSeconds(2);
        }, queue);

    /// <summary>A worker over this store with the given handlers; <paramref name="configure"/> sets queues, concurrency and the like.</summary>
    public JobWorker NewWorker(IEnumerable<IJobHandler> handlers, Action<MessagingOptions> configure, EmbeddedQueue? queue = null)
    {
        var settings = new MessagingOptions
        {
            Concurrency = 1,
            MaxAttempts = 3,
            RetryBaseDelay = TimeSpan.FromSeconds(2),
            PollInterval = TimeSpan.FromMilliseconds(20),
            Lease = TimeSpan.FromSeconds(30),
        };
        configure(settings);
        var options = Options.Create(settings);
        var runner = new JobRunner(handlers, options, Metrics, NullLogger<JobRunner>.Instance);
        return new(Database, queue ?? NewQueue(), Signal, runner, new QueuePlan(Catalog, options), options, NullLogger<JobWorker>.Instance);
    }

    /// <summary>Polls the store until the job matches, for at most 20 seconds of real time.</summary>
    public async Task<JobState?> WaitForAsync(Func<JobState?, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var job = await JobAsync();
            if (condition(job) || DateTime.UtcNow > deadline)
            {
                return job;
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A job row as the tests look at it.</summary>
public sealed record JobState(string State, long Attempts, long RunAfter, string? LastError);

/// <summary>A handler whose behaviour a test sets: counts calls, fails as told.</summary>
internal sealed class ScriptedHandler(Func<int, Exception?> failOnCall) : IJobHandler
{
    private int _calls;

    public string Type => "photo.test";

    public int Calls => _calls;

    public string? GaveUpReason { get; private set; }

    public Task HandleAsync(Job job, CancellationToken ct)
    {
        var call = Interlocked.Increment(ref _calls);
        return failOnCall(call) is { } e ? Task.FromException(e) : Task.CompletedTask;
    }

    public Task OnGaveUpAsync(Job job, string reason, CancellationToken ct)
    {
        GaveUpReason = reason;
        return Task.CompletedTask;
    }
}
