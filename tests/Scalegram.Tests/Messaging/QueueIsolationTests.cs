using Dapper;
using Microsoft.Extensions.Options;
using Scalegram.Messaging;

namespace Scalegram.Tests.Messaging;

/// <summary>
/// The embedded transport's queues keep their priorities: each queue has its own workers, so a backlog of
/// slow photo jobs never holds up a social or feed job; a worker consumes only the queues it was started
/// for; and a queue never runs more jobs at once than its concurrency setting.
/// </summary>
public sealed class QueueIsolationTests : IAsyncLifetime
{
    private QueueHarness _h = null!;

    public async Task InitializeAsync() => _h = await QueueHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_backlog_of_slow_photo_jobs_does_not_delay_social_and_feed_jobs_enqueued_after_it()
    {
        var log = new List<string>();
        var photos = new GatedHandler(QueueHarness.TestType, log, gated: true);
        var social = new GatedHandler("social.test", log);
        var feed = new GatedHandler("feed.test", log);
        for (var i = 0; i < 20; i++)
        {
            await _h.EnqueueAsync(QueueHarness.TestType, new { n = i });
        }

        await RunWorkerAsync([photos, social, feed], _ => { }, async () =>
        {
            await GatedHandler.UntilAsync(() => photos.InFlight == 1, "the first photo job to start");
            await _h.EnqueueAsync("social.test", new { n = 1 });
            await _h.EnqueueAsync("feed.test", new { n = 2 });

            await GatedHandler.UntilAsync(() => social.Done == 1 && feed.Done == 1, "the social and feed jobs");
            Assert.Equal(0, photos.Done);
            Assert.Equal(20, await CountAsync("queue = 'photos'"));

            photos.Open();
            await GatedHandler.UntilAsync(() => photos.Done == 20, "the photo backlog to drain");
        });

        Assert.Equal(["feed.test", "social.test"], log.Take(2).Order());
        Assert.Equal(22, log.Count);
    }

    [Fact]
    public async Task With_the_one_pool_baseline_the_same_social_job_waits_behind_the_whole_photo_backlog()
    {
        // Messaging:SingleQueue reproduces the old claim (arrival order across queues): the ordering the
        // test above rules out is what this setting produces, so that test would fail without per-queue loops.
        var log = new List<string>();
        var photos = new GatedHandler(QueueHarness.TestType, log, gated: true);
        var social = new GatedHandler("social.test", log);
        for (var i = 0; i < 5; i++)
        {
            await _h.EnqueueAsync(QueueHarness.TestType, new { n = i });
        }

        await RunWorkerAsync([photos, social], o => o.SingleQueue = true, async () =>
        {
            await GatedHandler.UntilAsync(() => photos.InFlight == 1, "the first photo job to start");
            _h.Clock.Advance(TimeSpan.FromMilliseconds(1)); // arrives after the photos, as it would
            await _h.EnqueueAsync("social.test", new { n = 1 });
            photos.Open();
            await GatedHandler.UntilAsync(() => social.Done == 1, "the social job");
        });

        Assert.Equal([.. Enumerable.Repeat(QueueHarness.TestType, 5), "social.test"], log);
    }

    [Fact]
    public async Task A_worker_started_for_the_photos_queue_never_runs_a_social_job()
    {
        var log = new List<string>();
        var photos = new GatedHandler(QueueHarness.TestType, log);
        var social = new GatedHandler("social.test", log);
        await _h.EnqueueAsync("social.test", new { n = 1 });
        await _h.EnqueueAsync(QueueHarness.TestType, new { n = 2 });
        await _h.EnqueueAsync(QueueHarness.TestType, new { n = 3 });

        await RunWorkerAsync([photos, social], o => o.WorkerQueues = "photos", async () =>
            await GatedHandler.UntilAsync(() => photos.Done == 2, "the photo jobs"));

        // The social job was first in line, yet it is still waiting, unleased, for a worker of its queue.
        Assert.Equal(0, social.Done);
        Assert.Equal(1, await CountAsync("queue = 'social' AND state = 'ready' AND leased_by IS NULL AND attempts = 0"));
        Assert.Equal(0, await CountAsync("queue = 'photos'"));
    }

    [Fact]
    public async Task A_queue_never_runs_more_jobs_at_once_than_its_concurrency_setting()
    {
        var log = new List<string>();
        var photos = new GatedHandler(QueueHarness.TestType, log, gated: true);
        var social = new GatedHandler("social.test", log, gated: true);
        for (var i = 0; i < 12; i++)
        {
            await _h.EnqueueAsync(QueueHarness.TestType, new { n = i });
            await _h.EnqueueAsync("social.test", new { n = i });
        }

        await RunWorkerAsync([photos, social], o =>
        {
            o.Concurrency = 1;
            o.Queues["photos"] = new QueueOptions { Concurrency = 3 };
        }, async () =>
        {
            await GatedHandler.UntilAsync(() => photos.InFlight == 3 && social.InFlight == 1, "3 photo jobs and 1 social job to run at once");
            photos.Open();
            social.Open();
            await GatedHandler.UntilAsync(() => photos.Done == 12 && social.Done == 12, "every job");
        });

        Assert.Equal(3, photos.MaxInFlight);
        Assert.Equal(1, social.MaxInFlight);
    }

    [Theory]
    [InlineData("WorkerQueues", "photos,nope", "Messaging:WorkerQueues (--queues) names 'nope'")]
    [InlineData("Queues", "bogus", "Messaging:Queues:bogus is not a queue")]
    [InlineData("Concurrency", "0", "Messaging:Queues:photos:Concurrency must be between 1 and 256")]
    [InlineData("SingleQueue", "RabbitMq", "Messaging:SingleQueue")]
    public void Bad_queue_settings_fail_at_start_naming_the_key(string setting, string value, string expected)
    {
        var options = new MessagingOptions();
        switch (setting)
        {
            case "WorkerQueues":
                options.WorkerQueues = value;
                break;
            case "Queues":
                options.Queues[value] = new QueueOptions { Concurrency = 2 };
                break;
            case "Concurrency":
                options.Queues["photos"] = new QueueOptions { Concurrency = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) };
                break;
            default:
                options.SingleQueue = true;
                options.Engine = MessagingEngine.RabbitMq;
                break;
        }

        var result = new MessagingOptionsValidator(QueueHarness.Catalog).Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        Assert.False(new MessagingOptionsValidator(QueueHarness.Catalog).Validate(null, new MessagingOptions { WorkerQueues = "photos, social" }).Failed);
    }

    [Fact]
    public void The_plan_gives_each_consumed_queue_its_own_concurrency_and_defaults_to_every_queue()
    {
        var all = new QueuePlan(QueueHarness.Catalog, Options.Create(new MessagingOptions { Concurrency = 2, Queues = { ["photos"] = new QueueOptions { Concurrency = 5 } } }));
        Assert.Equal(
            [new QueueSlots("feed", 2), new QueueSlots("maintenance", 2), new QueueSlots("photos", 5), new QueueSlots("social", 2)],
            all.Consumed);
        var some = new QueuePlan(QueueHarness.Catalog, Options.Create(new MessagingOptions { WorkerQueues = "Social, feed" }));
        Assert.Equal(["feed", "social"], some.Consumed.Select(q => q.Queue));
        Assert.DoesNotContain(some.Types, t => t.Queue == "photos");
    }

    private async Task RunWorkerAsync(IJobHandler[] handlers, Action<MessagingOptions> configure, Func<Task> body)
    {
        var worker = _h.NewWorker(handlers, configure);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await body();
        }
        finally
        {
            foreach (var h in handlers.OfType<GatedHandler>())
            {
                h.Open();
            }

            await worker.StopAsync(CancellationToken.None);
        }
    }

    private async Task<long> CountAsync(string where)
    {
        await using var connection = await _h.Store.Primary.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM jobs WHERE {where}");
    }
}
