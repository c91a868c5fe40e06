using RabbitMQ.Client;

namespace Scalegram.Messaging.RabbitMq;

/// <summary>
/// The queues, all quorum queues on the default exchange: {prefix}.{queue} (work), {prefix}.{queue}.dead
/// (dead letters), and {prefix}.{queue}.retry.{ms} (one per backoff step: the message waits out the
/// queue's TTL, then RabbitMQ dead-letters it back into the work queue).
/// </summary>
internal sealed class RabbitMqTopology(string prefix, IReadOnlyList<string> queues)
{
    public IReadOnlyList<string> Queues { get; } = queues;

    public string Work(string queue) => $"{prefix}.{queue}";

    public string Dead(string queue) => $"{prefix}.{queue}.dead";

    public string Retry(string queue, TimeSpan delay) => $"{prefix}.{queue}.retry.{(long)delay.TotalMilliseconds}ms";

    /// <summary>Declares every work and dead-letter queue (idempotent; every node does it on connect).</summary>
    public async Task DeclareAsync(IChannel channel, CancellationToken ct)
    {
        foreach (var queue in Queues)
        {
            await channel.QueueDeclareAsync(Work(queue), durable: true, exclusive: false, autoDelete: false, Quorum(), cancellationToken: ct);
            await channel.QueueDeclareAsync(Dead(queue), durable: true, exclusive: false, autoDelete: false, Quorum(), cancellationToken: ct);
        }
    }

    /// <summary>Declares the delay queue for one backoff step; its name carries the delay, so changing the setting never clashes.</summary>
    public async Task<string> DeclareRetryAsync(IChannel channel, string queue, TimeSpan delay, CancellationToken ct)
    {
        var name = Retry(queue, delay);
        var arguments = Quorum();
        arguments["x-message-ttl"] = (long)delay.TotalMilliseconds;
        arguments["x-dead-letter-exchange"] = "";
        arguments["x-dead-letter-routing-key"] = Work(queue);

        // At-least-once dead-lettering: an expired message leaves the delay queue only once the
        // work queue has it, so a retry survives a broker restart.
        arguments["x-dead-letter-strategy"] = "at-least-once";
        arguments["x-overflow"] = "reject-publish";
        await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: ct);
        return name;
    }

    private static Dictionary<string, object?> Quorum() => new() { ["x-queue-type"] = "quorum" };
}
