using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Scalegram.Messaging.RabbitMq;

/// <summary>
/// The worker role on RabbitMQ: one consumer channel per consumed work queue (<see cref="QueuePlan"/>), each
/// with manual acks, its own dispatch concurrency and a prefetch limit equal to it, so a backlog in one
/// queue never holds up another's deliveries; every delivery goes through the shared <see cref="JobRunner"/>. A worker that
/// dies mid-job never acked, so RabbitMQ redelivers the message to another worker.
/// </summary>
internal sealed class RabbitMqWorker(
    RabbitMqConnection connection,
    RabbitMqPublisher publisher,
    JobRunner runner,
    QueuePlan plan,
    IOptions<RabbitMqOptions> options,
    ILogger<RabbitMqWorker> logger) : BackgroundService
{
    private static readonly TimeSpan SupervisePeriod = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, IChannel> _channels = [];
    private CancellationToken _stopping;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        runner.Expect(plan);
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var queue in plan.Consumed)
                {
                    await EnsureConsumingAsync(queue, stoppingToken);
                }

                await Task.Delay(SupervisePeriod, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Log.CannotConsume(logger, ex);
                await Task.Delay(options.Value.ReconnectInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        foreach (var channel in _channels.Values)
        {
            await CloseQuietlyAsync(channel);
        }
    }

    /// <summary>Opens a consumer for the queue unless one is running (recovery restores consumers after a network failure; this covers the rest).</summary>
    private async Task EnsureConsumingAsync(QueueSlots slots, CancellationToken ct)
    {
        var queue = slots.Queue;
        var conn = await connection.GetAsync(ct);
        if (_channels.TryGetValue(queue, out var existing))
        {
            if (!existing.IsClosed || !conn.IsOpen)
            {
                return;
            }

            existing.Dispose();
            _channels.Remove(queue);
        }

        var prefetch = options.Value.Prefetch ?? (ushort)slots.Concurrency;
        var channel = await conn.CreateChannelAsync(
            new CreateChannelOptions(false, false, consumerDispatchConcurrency: (ushort)slots.Concurrency), ct);
        await connection.Topology.DeclareAsync(channel, ct);
        await channel.BasicQosAsync(0, prefetch, global: false, ct);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => OnDeliveryAsync(channel, queue, delivery);
        await channel.BasicConsumeAsync(connection.Topology.Work(queue), autoAck: false, consumer, ct);
        _channels[queue] = channel;
        Log.Consuming(logger, queue, prefetch, slots.Concurrency);
    }

    private async Task OnDeliveryAsync(IChannel channel, string queue, BasicDeliverEventArgs delivery)
    {
        var job = JobMessage.Read(queue, delivery.BasicProperties, delivery.Body);
        var settlement = new DeliverySettlement(channel, delivery.DeliveryTag, job, publisher);
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping, delivery.CancellationToken);
            await runner.RunAsync(job, settlement, stop.Token);
        }
        catch (Exception ex)
        {
            // Settling failed (the channel or broker went away): no ack, so the broker redelivers it.
            Log.JobNotSettled(logger, ex, job.Id, job.Type);
        }
    }

    private async Task CloseQuietlyAsync(IChannel channel)
    {
        try
        {
            await channel.CloseAsync();
        }
        catch (Exception ex)
        {
            Log.ChannelCloseFailed(logger, ex);
        }

        channel.Dispose();
    }

    /// <summary>Acks, or first republishes (confirmed) into a delay queue or the dead-letter queue and then acks.</summary>
    private sealed class DeliverySettlement(IChannel channel, ulong tag, Job job, RabbitMqPublisher publisher) : IJobSettlement
    {
        public async Task CompleteAsync(CancellationToken ct) => await channel.BasicAckAsync(tag, multiple: false, ct);

        public async Task RetryAsync(TimeSpan delay, string error, CancellationToken ct)
        {
            await publisher.PublishRetryAsync(job, delay, error, counted: true, ct);
            await channel.BasicAckAsync(tag, multiple: false, ct);
        }

        public async Task PostponeAsync(TimeSpan delay, string error, CancellationToken ct)
        {
            await publisher.PublishRetryAsync(job, delay, error, counted: false, ct);
            await channel.BasicAckAsync(tag, multiple: false, ct);
        }

        public async Task DeadLetterAsync(string error, CancellationToken ct)
        {
            await publisher.PublishAsync(publisher.Topology.Dead(job.Queue), job, job.Attempts, error, ct);
            await channel.BasicAckAsync(tag, multiple: false, ct);
        }

        public async Task AbandonAsync(CancellationToken ct)
        {
            if (channel.IsOpen)
            {
                await channel.BasicNackAsync(tag, multiple: false, requeue: true, ct);
            }
        }
    }
}
