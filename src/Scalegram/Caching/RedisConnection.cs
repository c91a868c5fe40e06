using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Scalegram.Caching;

/// <summary>
/// The node's one connection to Redis, shared by cache, backplane, Data Protection and limits.
/// It never blocks start-up and fails fast while Redis is away (no command backlog), so an
/// outage costs each caller at most a short timeout; it reconnects by itself when Redis returns.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    public RedisConnection(IOptions<RedisOptions> options)
    {
        if (!options.Value.IsConfigured)
        {
            throw new OptionsValidationException(RedisOptions.Section, typeof(RedisOptions), ["Redis:Configuration (or Redis:Sentinels) is required when Caching:Engine is Redis (e.g. 127.0.0.1:6379)."]);
        }

        var config = ConfigFor(options.Value);
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ConnectTimeout = 2000;
        config.SyncTimeout = 1000;
        config.AsyncTimeout = 1000;
        config.ReconnectRetryPolicy = new LinearRetry(500);
        config.ClientName ??= "scalegram";

        // INFO (memory and eviction figures for /metrics) counts as an admin command to the client; nothing here flushes or reconfigures Redis.
        config.AllowAdmin = true;
        Multiplexer = ConnectionMultiplexer.Connect(config);
        KeyPrefix = options.Value.KeyPrefix;
        ThroughSentinels = !string.IsNullOrWhiteSpace(options.Value.Sentinels);
    }

    /// <summary>
    /// The client configuration: Redis:Configuration as given, or with Redis:Sentinels its endpoints become the
    /// sentinels and ServiceName the primary they name (StackExchange.Redis then connects to whichever is primary).
    /// </summary>
    public static ConfigurationOptions ConfigFor(RedisOptions options)
    {
        var config = string.IsNullOrWhiteSpace(options.Configuration) ? new ConfigurationOptions() : ConfigurationOptions.Parse(options.Configuration);
        if (!string.IsNullOrWhiteSpace(options.Sentinels))
        {
            config.EndPoints.Clear();
            foreach (var endpoint in options.Sentinels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                config.EndPoints.Add(endpoint);
            }

            config.ServiceName = options.ServiceName;
        }

        return config;
    }

    public IConnectionMultiplexer Multiplexer { get; }

    /// <summary>True when the node reaches Redis through sentinels (and so follows a failover).</summary>
    public bool ThroughSentinels { get; private init; }

    public string KeyPrefix { get; }

    public IDatabase Database => Multiplexer.GetDatabase();

    public ValueTask DisposeAsync() => Multiplexer.DisposeAsync();
}
