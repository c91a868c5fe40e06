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
        if (string.IsNullOrWhiteSpace(options.Value.Configuration))
        {
            throw new OptionsValidationException(RedisOptions.Section, typeof(RedisOptions), ["Redis:Configuration is required when Caching:Engine is Redis (e.g. 127.0.0.1:6379)."]);
        }

        var config = ConfigurationOptions.Parse(options.Value.Configuration);
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ConnectTimeout = 2000;
        config.SyncTimeout = 1000;
        config.AsyncTimeout = 1000;
        config.ReconnectRetryPolicy = new LinearRetry(500);
        config.ClientName ??= "scalegram";
        Multiplexer = ConnectionMultiplexer.Connect(config);
        KeyPrefix = options.Value.KeyPrefix;
    }

    public IConnectionMultiplexer Multiplexer { get; }

    public string KeyPrefix { get; }

    public IDatabase Database => Multiplexer.GetDatabase();

    public ValueTask DisposeAsync() => Multiplexer.DisposeAsync();
}
