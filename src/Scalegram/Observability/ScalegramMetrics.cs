using System.Diagnostics.Metrics;

namespace Scalegram.Observability;

/// <summary>The app's own meters, named after the tiers (scalegram.queue.*, scalegram.cache.*, ...).</summary>
internal sealed class ScalegramMetrics
{
    public const string MeterName = "Scalegram";

    private readonly Counter<long> _jobs;
    private readonly Histogram<double> _jobDuration;
    private readonly Histogram<double> _jobWait;
    private readonly UpDownCounter<long> _jobsRunning;
    private readonly Histogram<double> _stageDuration;
    private readonly Counter<long> _cacheRequests;
    private readonly Counter<long> _dbCalls;
    private readonly Counter<long> _business;
    private readonly Counter<long> _cacheEvictions;

    public ScalegramMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _jobs = meter.CreateCounter<long>("scalegram.queue.jobs", "{job}", "Jobs finished, by queue, type and outcome.");
        _jobDuration = meter.CreateHistogram<double>("scalegram.queue.job.duration", "s", "Time to run a job.");
        _jobWait = meter.CreateHistogram("scalegram.queue.job.wait", "s", "Time a job waited in its queue before a worker started it (first attempts), by queue.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 30, 45, 60, 120, 300, 600] });
        _jobsRunning = meter.CreateUpDownCounter<long>("scalegram.queue.jobs.running", "{job}", "Jobs this process is running right now, by queue.");
        _stageDuration = meter.CreateHistogram<double>("scalegram.pipeline.stage.duration", "s", "Photo pipeline time per stage.");
        _cacheRequests = meter.CreateCounter<long>("scalegram.cache.requests", "{request}", "Cache lookups by result (hit, miss).");
        _dbCalls = meter.CreateCounter<long>("scalegram.db.calls", "{call}", "Connections opened, by store and role (primary, replica).");
        _business = meter.CreateCounter<long>("scalegram.business.events", "{event}", "Sign-ups, logins, uploads, likes, comments, follows.");
        _cacheEvictions = meter.CreateCounter<long>("scalegram.cache.evictions", "{entry}", "Entries the memory cache dropped, by reason (expired, capacity, ...).");
        Meter = meter;
    }

    public Meter Meter { get; }

    public void JobFinished(string queue, string type, string outcome, TimeSpan elapsed)
    {
        _jobs.Add(1, new("queue", queue), new("type", type), new("outcome", outcome));
        _jobDuration.Record(elapsed.TotalSeconds, new("queue", queue), new("type", type));
    }

    /// <summary>Records how long a job waited between its enqueue and the start of its first attempt.</summary>
    public void JobWaited(string queue, TimeSpan waited) => _jobWait.Record(Math.Max(0, waited.TotalSeconds), new KeyValuePair<string, object?>("queue", queue));

    /// <summary>Makes a queue's throughput series exist at 0 before its first job, so rates and alerts see it from the start.</summary>
    public void JobsExpected(string queue, string type) => _jobs.Add(0, new("queue", queue), new("type", type), new("outcome", "ok"));

    /// <summary>Counts a job as running until the returned handle is disposed.</summary>
    public IDisposable JobRunning(string queue)
    {
        _jobsRunning.Add(1, new KeyValuePair<string, object?>("queue", queue));
        return new Running(() => _jobsRunning.Add(-1, new KeyValuePair<string, object?>("queue", queue)));
    }

    public void PipelineStage(string stage, TimeSpan elapsed) => _stageDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("stage", stage));

    public void Cache(string entry, bool hit) => _cacheRequests.Add(1, new("entry", entry), new("result", hit ? "hit" : "miss"));

    public void CacheEviction(string reason) => _cacheEvictions.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A connection opened; the store label is the physical shard (a logical shard label would mean 8192 series).</summary>
    public void DbCall(string store, string role) => _dbCalls.Add(1, new("store", store), new("role", role));

    public void Business(string kind) => _business.Add(1, new KeyValuePair<string, object?>("event", kind));

    private sealed class Running(Action done) : IDisposable
    {
        public void Dispose() => done();
    }
}
