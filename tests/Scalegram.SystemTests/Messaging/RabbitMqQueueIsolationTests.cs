using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using Scalegram.Jobs;
using Scalegram.Messaging;
using Scalegram.Messaging.RabbitMq;
using Scalegram.Observability;
using Scalegram.SystemTests.Infrastructure.Engines;

namespace Scalegram.SystemTests.Messaging;

/// <summary>
/// On RabbitMQ, each queue is consumed on its own channel with its own concurrency (and prefetch): a backlog
/// of slow photo jobs never holds up a social or feed job, a worker started for some queues consumes only
/// those, and a queue never runs more jobs at once than its setting. The worker runs in-process against a
/// real broker, with test handlers that hold jobs at a gate.
/// </summary>
public sealed class RabbitMqQueueIsolationTests : IAsyncLifetime
{
    private static readonly JobCatalog Catalog = new([.. JobTypes.All, new("photo.test", "photos"), new("feed.test", "feed"), new("social.test", "social")]);
    private readonly List<string> _log = [];
    private readonly List<IAsyncDisposable> _disposables = [];
    private RabbitMqServer _broker = null!;
    private long _nextId = 1;
    private RabbitMqConnection? _connection;

    public async Task InitializeAsync() => _broker = await RabbitMqServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_disposables))
        {
            await d.DisposeAsync();
        }

        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task A_backlog_of_slow_photo_jobs_does_not_delay_social_and_feed_jobs_published_after_it()
    {
        var photos = new Gate("photo.test", _log, closed: true);
        var social = new Gate("social.test", _log);
        var feed = new Gate("feed.test", _log);
        var (worker, publisher) = await StartAsync([photos, social, feed], o => o.Concurrency = 1);
        for (var i = 0; i < 20; i++)
        {
            await PublishAsync(publisher, "photos", "photo.test");
        }

        await Gate.UntilAsync(() => photos.InFlight == 1, "the first photo job to start");
        await PublishAsync(publisher, "social", "social.test");
        await PublishAsync(publisher, "feed", "feed.test");
        await Gate.UntilAsync(() => social.Done == 1 && feed.Done == 1, "the social and feed jobs");
        Assert.Equal(0, photos.Done);

        photos.Open();
        await Gate.UntilAsync(() => photos.Done == 20, "the photo backlog to drain");
        Assert.Equal(["feed.test", "social.test"], _log.Take(2).Order());
        await worker.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_worker_started_for_the_photos_queue_never_runs_a_social_job()
    {
        var photos = new Gate("photo.test", _log);
        var social = new Gate("social.test", _log);
        var (worker, publisher) = await StartAsync([photos, social], o => o.WorkerQueues = "photos");
        await PublishAsync(publisher, "social", "social.test");
        await PublishAsync(publisher, "photos", "photo.test");
        await PublishAsync(publisher, "photos", "photo.test");
        await Gate.UntilAsync(() => photos.Done == 2, "the photo jobs");
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(0, social.Done);

        // The broker's own count (queue.declare-ok is exact; list_queues figures lag by a stats interval).
        await using var channel = await (await _connection!.GetAsync(CancellationToken.None)).CreateChannelAsync();
        Assert.Equal(1u, await channel.MessageCountAsync($"{Prefix}.social"));
    }

    [Fact]
    public async Task A_queue_never_runs_more_jobs_at_once_than_its_concurrency_setting()
    {
        var photos = new Gate("photo.test", _log, closed: true);
        var social = new Gate("social.test", _log, closed: true);
        var (worker, publisher) = await StartAsync([photos, social], o =>
        {
            o.Concurrency = 1;
            o.Queues["photos"] = new QueueOptions { Concurrency = 3 };
        });
        for (var i = 0; i < 12; i++)
        {
            await PublishAsync(publisher, "photos", "photo.test");
            await PublishAsync(publisher, "social", "social.test");
        }

        await Gate.UntilAsync(() => photos.InFlight == 3 && social.InFlight == 1, "3 photo jobs and 1 social job to run at once");
        photos.Open();
        social.Open();
        await Gate.UntilAsync(() => photos.Done == 12 && social.Done == 12, "every job");
        await worker.StopAsync(CancellationToken.None);
        Assert.Equal(3, photos.MaxInFlight);
        Assert.Equal(1, social.MaxInFlight);
    }

    private string Prefix { get; } = "iso" + Guid.NewGuid().ToString("N")[..8];

    private async Task<(RabbitMqWorker Worker, RabbitMqPublisher Publisher)> StartAsync(IJobHandler[] handlers, Action<MessagingOptions> configure)
    {
        var messaging = new MessagingOptions { Engine = MessagingEngine.RabbitMq, RetryBaseDelay = TimeSpan.FromMilliseconds(200) };
        configure(messaging);
        var messagingOptions = Options.Create(messaging);
        var rabbit = Options.Create(new RabbitMqOptions { Uri = _broker.Uri, QueuePrefix = Prefix });
        var services = new ServiceCollection().AddMetrics().AddSingleton<ScalegramMetrics>().BuildServiceProvider();
        _disposables.Add(services);
        var connection = new RabbitMqConnection(rabbit, Catalog, NullLogger<RabbitMqConnection>.Instance);
        _connection = connection;
        var publisher = new RabbitMqPublisher(connection, rabbit);
        _disposables.Add(connection);
        _disposables.Add(publisher);
        var runner = new JobRunner(handlers, messagingOptions, services.GetRequiredService<ScalegramMetrics>(), NullLogger<JobRunner>.Instance);
        var worker = new RabbitMqWorker(connection, publisher, runner, new QueuePlan(Catalog, messagingOptions), rabbit, NullLogger<RabbitMqWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        _disposables.Add(new Stopper(worker, handlers.OfType<Gate>()));
        return (worker, publisher);
    }

    private Task PublishAsync(RabbitMqPublisher publisher, string queue, string type)
    {
        var job = new Job(Interlocked.Increment(ref _nextId), queue, type, "{}", 1, null, "store0");
        return publisher.PublishAsync(publisher.Topology.Work(queue), job, 1, null, CancellationToken.None);
    }

    /// <summary>Opens every gate and stops the worker when the test ends, whatever happened.</summary>
    private sealed class Stopper(RabbitMqWorker worker, IEnumerable<Gate> gates) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var gate in gates)
            {
                gate.Open();
            }

            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }
    }

    /// <summary>A handler for one type that logs the order jobs finish, can hold them until opened, and tracks the most it ran at once.</summary>
    private sealed class Gate(string type, List<string> log, bool closed = false) : IJobHandler
    {
        private readonly TaskCompletionSource _open = New(closed);
        private int _inFlight;
        private int _max;
        private int _done;

        public string Type => type;

        public int InFlight => Volatile.Read(ref _inFlight);

        public int MaxInFlight => Volatile.Read(ref _max);

        public int Done => Volatile.Read(ref _done);

        public void Open() => _open.TrySetResult();

        public async Task HandleAsync(Job job, CancellationToken ct)
        {
            var now = Interlocked.Increment(ref _inFlight);
            lock (log)
            {
                _max = Math.Max(_max, now);
            }

            try
            {
                await _open.Task.WaitAsync(ct);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }

            lock (log)
            {
                log.Add(type);
            }

            Interlocked.Increment(ref _done);
        }

        public Task OnGaveUpAsync(Job job, string reason, CancellationToken ct) => Task.CompletedTask;

        public static async Task UntilAsync(Func<bool> condition, string what)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!condition())
            {
                Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
                await Task.Delay(10);
            }
        }

        private static TaskCompletionSource New(bool closed)
        {
            var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!closed)
            {
                source.SetResult();
            }

            return source;
        }
    }
}
