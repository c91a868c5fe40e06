using RabbitMQ.Client;

namespace Scalegram.Messaging.RabbitMq;

/// <summary>
/// Queue figures on RabbitMQ: ready and dead-lettered messages per queue from the broker, plus the
/// outbox rows not yet published (state 'unpublished') from the stores. Shown as scalegram_queue_depth.
/// </summary>
internal sealed class RabbitMqQueueStats(RabbitMqConnection connection, EmbeddedQueue outbox) : IQueueStatsSource, IAsyncDisposable
{
    private IChannel? _channel;

    public async Task<IReadOnlyList<QueueStats>> StatsAsync(CancellationToken ct)
    {
        var stats = (await outbox.StatsAsync(ct))
            .Where(s => s.State == "ready")
            .Select(s => s with { State = "unpublished" })
            .ToList();
        try
        {
            var channel = await ChannelAsync(ct);
            foreach (var queue in connection.Topology.Queues)
            {
                stats.Add(new QueueStats(queue, "ready", await channel.MessageCountAsync(connection.Topology.Work(queue), ct), null));
                stats.Add(new QueueStats(queue, "dead", await channel.MessageCountAsync(connection.Topology.Dead(queue), ct), null));
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The whole read fails, so QueueGauges reports nothing and logs the outage: the outbox rows
            // alone would show every queue at depth 0 while the broker is out of reach.
            throw new InvalidOperationException("Could not read queue depths from RabbitMQ.", ex);
        }

        return stats;
    }

    private async Task<IChannel> ChannelAsync(CancellationToken ct)
    {
        if (_channel is { IsClosed: false } open)
        {
            return open;
        }

        _channel?.Dispose();
        var channel = await (await connection.GetAsync(ct)).CreateChannelAsync(cancellationToken: ct);
        await connection.Topology.DeclareAsync(channel, ct);
        _channel = channel;
        return channel;
    }

    public ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        return ValueTask.CompletedTask;
    }
}
