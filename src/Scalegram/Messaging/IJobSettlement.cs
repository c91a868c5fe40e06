namespace Scalegram.Messaging;

/// <summary>How a transport finishes a job once the shared <see cref="JobRunner"/> has decided its fate.</summary>
internal interface IJobSettlement
{
    /// <summary>The job succeeded: remove it for good (delete the row, ack the message).</summary>
    Task CompleteAsync(CancellationToken ct);

    /// <summary>Run the job again after <paramref name="delay"/>, as attempt number <c>job.Attempts + 1</c>.</summary>
    Task RetryAsync(TimeSpan delay, string error, CancellationToken ct);

    /// <summary>
    /// A dependency is down (not the job's fault): run the job again after <paramref name="delay"/> without
    /// using up an attempt, so an outage longer than the retry budget never fails accepted work.
    /// </summary>
    Task PostponeAsync(TimeSpan delay, string error, CancellationToken ct);

    /// <summary>Park the job where operators can see it; it is never retried by itself.</summary>
    Task DeadLetterAsync(string error, CancellationToken ct);

    /// <summary>The process is stopping mid-job: hand the job back so another worker runs it.</summary>
    Task AbandonAsync(CancellationToken ct);
}
