using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Scalegram.Messaging.RabbitMq;

/// <summary>
/// This process's one connection to the broker, opened on first use. Once open, the client's
/// automatic recovery reconnects it (and its channels and consumers) after a broker restart;
/// until it first opens, callers get an exception and try again later.
/// </summary>
internal sealed class RabbitMqConnection(IOptions<RabbitMqOptions> options, JobCatalog catalog, ILogger<RabbitMqConnection> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    public RabbitMqTopology Topology { get; } = new(options.Value.QueuePrefix, catalog.Queues);

    public async Task<IConnection> GetAsync(CancellationToken ct)
    {
        if (_connection is { } existing)
        {
            return existing;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (_connection is null)
            {
                var uris = options.Value.Uris();
                var factory = new ConnectionFactory
                {
                    Uri = uris[0],
                    AutomaticRecoveryEnabled = true,
                    TopologyRecoveryEnabled = true,
                    NetworkRecoveryInterval = options.Value.ReconnectInterval,
                    RequestedHeartbeat = TimeSpan.FromSeconds(10),
                    ClientProvidedName = $"scalegram:{Environment.MachineName}:{Environment.ProcessId}",
                };
                var endpoints = uris.Select(u => new AmqpTcpEndpoint(u)).ToList();
                _connection = await factory.CreateConnectionAsync(endpoints, ct);
                _connection.ConnectionShutdownAsync += (_, e) =>
                {
                    Log.ConnectionLost(logger, e.Exception, e.ReplyText);
                    return Task.CompletedTask;
                };
                _connection.RecoverySucceededAsync += (_, _) =>
                {
                    Log.ConnectionRecovered(logger);
                    return Task.CompletedTask;
                };
                Log.Connected(logger, uris[0].Host, uris[0].Port);
            }

            return _connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A channel whose publishes return only after the broker confirmed them (and throw if it refused).</summary>
    public async Task<IChannel> CreatePublishChannelAsync(CancellationToken ct)
    {
        var connection = await GetAsync(ct);
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        await Topology.DeclareAsync(channel, ct);
        return channel;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            try
            {
                await connection.CloseAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception e)
            {
                Log.ConnectionCloseFailed(logger, e);
            }

            connection.Dispose();
        }

        _gate.Dispose();
    }
}
