namespace Scalegram.Messaging;

/// <summary>One queue's settings (section "Messaging:Queues:{queue}").</summary>
internal sealed class QueueOptions
{
    /// <summary>Jobs of this queue a worker process runs at once (RabbitMQ: also its prefetch); unset means Messaging:Concurrency.</summary>
    public int? Concurrency { get; set; }
}
