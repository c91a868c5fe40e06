using Scalegram.Caching;
using StackExchange.Redis;

namespace Scalegram.Web;

/// <summary>
/// Tells every web node that a session ended, so their <see cref="SessionCache"/> drops it at once: a Redis
/// pub/sub channel when the nodes share Redis (the message names the token's hash or the user, never the token).
/// Without Redis, or while the channel is down, each node's cache falls back to its short TTL. The revocation
/// itself is the database write that comes first; this only shortens how long a cached copy outlives it.
/// </summary>
internal sealed class SessionRevocations(SessionCache cache, IServiceProvider services, ILogger<SessionRevocations> logger) : IHostedService
{
    private readonly RedisConnection? _redis = services.GetService<RedisConnection>();
    private int _subscribed;

    private RedisChannel Channel => RedisChannel.Literal(_redis!.KeyPrefix + "sessions:revoked");

    /// <summary>A session (by its token's SHA-256, <see cref="SessionCache.KeyOf"/>) was revoked in the database.</summary>
    public Task RevokedAsync(string tokenHash, CancellationToken ct) => PublishAsync("t:" + tokenHash, () => cache.Evict(tokenHash), ct);

    /// <summary>Every session of a user was revoked (or what a session carries about the user changed).</summary>
    public Task UserRevokedAsync(long userId, CancellationToken ct) =>
        PublishAsync("u:" + userId.ToString(System.Globalization.CultureInfo.InvariantCulture), () => cache.EvictUser(userId), ct);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_redis is null)
        {
            return;
        }

        _redis.Multiplexer.ConnectionFailed += OnFailed;
        _redis.Multiplexer.ConnectionRestored += OnRestored;
        await SubscribeAsync();
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_redis is not null)
        {
            _redis.Multiplexer.ConnectionFailed -= OnFailed;
            _redis.Multiplexer.ConnectionRestored -= OnRestored;
        }

        return Task.CompletedTask;
    }

    private async Task PublishAsync(string message, Action evictHere, CancellationToken ct)
    {
        evictHere();
        if (_redis is null)
        {
            return;
        }

        try
        {
            // Awaited, so the answer to a sign-out leaves after Redis has passed the message on to every node.
            await _redis.Multiplexer.GetSubscriber().PublishAsync(Channel, message).WaitAsync(ct);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Durable already; nodes whose channel is down hold copies for the short TTL only.
            Log.SessionRevocationNotPublished(logger, e);
        }
    }

    private async Task SubscribeAsync()
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 1)
        {
            return;
        }

        try
        {
            await _redis!.Multiplexer.GetSubscriber().SubscribeAsync(Channel, (_, message) => OnMessage(message));
            cache.ChannelConnected();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Volatile.Write(ref _subscribed, 0); // Tried again when the connection comes back.
            Log.SessionRevocationChannelDown(logger, e);
        }
    }

    private void OnMessage(RedisValue message)
    {
        var text = (string?)message ?? "";
        if (text.StartsWith("t:", StringComparison.Ordinal))
        {
            cache.Evict(text[2..]);
        }
        else if (text.StartsWith("u:", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var userId))
        {
            cache.EvictUser(userId);
        }
    }

    private void OnFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            cache.ChannelLost();
        }
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Subscription)
        {
            return;
        }

        // The library subscribes again by itself; a first subscription that failed at start-up is made now.
        if (Volatile.Read(ref _subscribed) == 1)
        {
            cache.ChannelConnected();
        }
        else
        {
            _ = SubscribeAsync();
        }
    }
}
