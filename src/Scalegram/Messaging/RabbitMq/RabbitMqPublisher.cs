using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Scalegram.Messaging.RabbitMq;

/// <summary>
/// Publishes jobs with publisher confirms on one shared channel: a publish returns only once the
/// broker has the message safely in a quorum queue, and throws otherwise. Reopens the channel if
/// the broker closed it.
/// </summary>
internal sealed class RabbitMqPublisher(RabbitMqConnection connection, IOptions<RabbitMqOptions> options) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _declaredRetryQueues = [];
    private IChannel? _channel;

    public RabbitMqTopology Topology => connection.Topology;

    /// <summary>Publishes to a queue by name (the default exchange routes by queue name); mandatory, so a missing queue is an error.</summary>
    public async Task PublishAsync(string queueName, Job job, int attempt, string? error, CancellationToken ct)
    {
        // A confirm that never comes (the broker went away mid-publish) counts as a failure: the
        // caller publishes again later, and a duplicate is harmless where a loss is not.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.PublishTimeout);
        try
        {
            var channel = await ChannelAsync(timeout.Token);
            await channel.BasicPublishAsync("", queueName, mandatory: true, JobMessage.Properties(job, attempt, error), JobMessage.Body(job), timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"RabbitMQ did not confirm job {job.Id} within {options.Value.PublishTimeout.TotalSeconds} s.");
        }
    }

    /// <summary>Publishes a failed job into the delay queue for its backoff step; it comes back to its work queue when the delay ends.</summary>
    public async Task PublishRetryAsync(Job job, TimeSpan delay, string error, bool counted, CancellationToken ct)
    {
        var channel = await ChannelAsync(ct);
        var name = Topology.Retry(job.Queue, delay);
        bool declared;
        lock (_declaredRetryQueues)
        {
            declared = _declaredRetryQueues.Contains(name);
        }

        if (!declared)
        {
            await Topology.DeclareRetryAsync(channel, job.Queue, delay, ct);
            lock (_declaredRetryQueues)
            {
                _declaredRetryQueues.Add(name);
            }
        }

        // A postponed job (a dependency was down) keeps its attempt count: the outage was not its failure.
        await PublishAsync(name, job, counted ? job.Attempts + 1 : Math.Max(1, job.Attempts), error, ct);
    }

    private async Task<IChannel> ChannelAsync(CancellationToken ct)
    {
        if (_channel is { IsClosed: false } open)
        {
            return open;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (_channel is { IsClosed: false } reopened)
            {
                return reopened;
            }

            // Closed by the broker (not by a network failure, which recovery handles): start afresh.
            _channel?.Dispose();
            _channel = null;
            lock (_declaredRetryQueues)
            {
                _declaredRetryQueues.Clear();
            }

            _channel = await connection.CreatePublishChannelAsync(ct);
            return _channel;
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }
}
