namespace Scalegram.Messaging;

/// <summary>What carries jobs from the outbox to workers (Messaging:Engine; Messaging:Transport is its older name).</summary>
internal enum MessagingEngine
{
    /// <summary>The jobs table itself, polled by workers.</summary>
    Embedded,

    /// <summary>RabbitMQ quorum queues, fed by a relay from the outbox.</summary>
    RabbitMq,
}
