namespace Scalegram.Messaging;

/// <summary>Log messages of Messaging: event IDs 1300-1399 (the ranges are listed on Scalegram.Data.Log; Messaging.RabbitMq has 1400-1499).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "Job {JobId} ({JobType}) dead-lettered after {Attempts} attempts")]
    public static partial void JobDeadLettered(ILogger logger, Exception exception, long jobId, string jobType, int attempts);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Job {JobId} ({JobType}) failed attempt {Attempts}; retrying in {Delay}")]
    public static partial void JobRetrying(ILogger logger, Exception exception, long jobId, string jobType, int attempts, TimeSpan delay);

    [LoggerMessage(EventId = 1308, Level = LogLevel.Warning, Message = "Job {JobId} ({JobType}) postponed by {Delay}: a dependency is down (no attempt used)")]
    public static partial void JobPostponed(ILogger logger, Exception exception, long jobId, string jobType, TimeSpan delay);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Job {JobId} ({JobType}): could not record that it was given up")]
    public static partial void GiveUpNotRecorded(ILogger logger, Exception exception, long jobId, string jobType);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "Worker slot {Slot} of queue {Queue} could not reach the job store; retrying")]
    public static partial void JobStoreUnreachable(ILogger logger, Exception exception, string queue, int slot);

    [LoggerMessage(EventId = 1309, Level = LogLevel.Information, Message = "Working queue {Queue} with {Concurrency} slot(s)")]
    public static partial void WorkingQueue(ILogger logger, string queue, int concurrency);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "Could not renew the lease of job {JobId}")]
    public static partial void LeaseNotRenewed(ILogger logger, Exception exception, long jobId);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Warning, Message = "Could not read queue statistics; the queue gauges report nothing until they can be read again")]
    public static partial void QueueStatsUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Information, Message = "Queue statistics can be read again")]
    public static partial void QueueStatsRecovered(ILogger logger);
}
