namespace Scalegram.Messaging.RabbitMq;

/// <summary>Log messages of the RabbitMQ transport: event IDs 1400-1499 (the ranges are listed on Scalegram.Data.Log).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Outbox relay could not publish; retrying")]
    public static partial void OutboxNotPublished(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Worker cannot consume from RabbitMQ yet; retrying")]
    public static partial void CannotConsume(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "Consuming {Queue} (prefetch {Prefetch}, concurrency {Concurrency})")]
    public static partial void Consuming(ILogger logger, string queue, ushort prefetch, int concurrency);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "Job {JobId} ({JobType}) could not be settled; it will be redelivered")]
    public static partial void JobNotSettled(ILogger logger, Exception exception, long jobId, string jobType);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Debug, Message = "Closing a consumer channel failed")]
    public static partial void ChannelCloseFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1406, Level = LogLevel.Warning, Message = "RabbitMQ connection lost ({Reason}); reconnecting")]
    public static partial void ConnectionLost(ILogger logger, Exception? exception, string reason);

    [LoggerMessage(EventId = 1407, Level = LogLevel.Information, Message = "RabbitMQ connection recovered")]
    public static partial void ConnectionRecovered(ILogger logger);

    [LoggerMessage(EventId = 1408, Level = LogLevel.Information, Message = "Connected to RabbitMQ at {Host}:{Port}")]
    public static partial void Connected(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 1409, Level = LogLevel.Debug, Message = "Closing the RabbitMQ connection failed")]
    public static partial void ConnectionCloseFailed(ILogger logger, Exception exception);
}
