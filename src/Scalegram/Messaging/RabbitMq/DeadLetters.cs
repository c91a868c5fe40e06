using System.Globalization;
using RabbitMQ.Client;

namespace Scalegram.Messaging.RabbitMq;

/// <summary>What operators do with the dead-letter queues: look at the parked jobs, and put them back to work.</summary>
internal sealed class DeadLetters(RabbitMqConnection connection, RabbitMqPublisher publisher)
{
    /// <summary>Lists up to <paramref name="limit"/> dead jobs of a queue without removing them.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string queue, int limit, CancellationToken ct)
    {
        var lines = new List<string>();
        var conn = await connection.GetAsync(ct);
        await using var channel = await conn.CreateChannelAsync(cancellationToken: ct);
        await connection.Topology.DeclareAsync(channel, ct);
        for (var i = 0; i < limit; i++)
        {
            var message = await channel.BasicGetAsync(connection.Topology.Dead(queue), autoAck: false, ct);
            if (message is null)
            {
                break;
            }

            var job = JobMessage.Read(queue, message.BasicProperties, message.Body);
            var attempt = JobMessage.Text(message.BasicProperties.Headers, JobMessage.AttemptHeader);
            var error = JobMessage.Text(message.BasicProperties.Headers, JobMessage.ErrorHeader);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{job.Id}\t{job.Type}\tattempt {attempt}\t{job.Payload}\t{error}"));
        }

        // Closing the channel without acking returns every message we looked at to the queue.
        await channel.CloseAsync(ct);
        return lines;
    }

    /// <summary>Moves up to <paramref name="limit"/> dead jobs back to their work queue as fresh first attempts; returns how many.</summary>
    public async Task<int> RequeueAsync(string queue, int limit, CancellationToken ct)
    {
        var conn = await connection.GetAsync(ct);
        await using var channel = await conn.CreateChannelAsync(cancellationToken: ct);
        var moved = 0;
        for (; moved < limit; moved++)
        {
            var message = await channel.BasicGetAsync(connection.Topology.Dead(queue), autoAck: false, ct);
            if (message is null)
            {
                break;
            }

            var job = JobMessage.Read(queue, message.BasicProperties, message.Body);

            // Publish (confirmed) before acking: a crash in between duplicates the job, never loses it.
            await publisher.PublishAsync(connection.Topology.Work(queue), job, attempt: 1, error: null, ct);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
        }

        await channel.CloseAsync(ct);
        return moved;
    }
}
