using System.Net;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Scalegram.Caching;
using StackExchange.Redis;

namespace Scalegram.Web;

/// <summary>
/// Sign-in and sign-up limits counted across every node in Redis: one fixed-window counter per
/// policy and client address (INCR + PEXPIRE in one script), never per username, so the 429 is
/// the same whether or not a name exists. If Redis cannot answer, the request goes on to the
/// in-process limiter behind it (<see cref="LoginRateLimits"/>), which then limits per node.
/// </summary>
internal sealed class SharedLoginLimits(RequestDelegate next, RedisConnection redis, IOptions<WebOptions> options, ILogger<SharedLoginLimits> logger)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private const string CountScript = """
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return { n, redis.call('PTTL', KEYS[1]) }
        """;

    public async Task InvokeAsync(HttpContext context)
    {
        var policy = context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
        var limit = policy switch
        {
            LoginRateLimits.SignInPolicy => options.Value.SignInsPerMinute,
            LoginRateLimits.SignUpPolicy => options.Value.SignUpsPerMinute,
            _ => 0,
        };
        if (limit > 0 && await OverLimitAsync(policy!, context, limit) is { } retryAfter)
        {
            await LoginRateLimits.RejectAsync(context, retryAfter);
            return;
        }

        await next(context);
    }

    /// <summary>How long until the window resets if this request is over the limit; null if allowed or Redis is unavailable.</summary>
    private async Task<TimeSpan?> OverLimitAsync(string policy, HttpContext context, int limit)
    {
        var client = (context.Connection.RemoteIpAddress ?? IPAddress.Loopback).ToString();
        try
        {
            var result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(
                CountScript, [(RedisKey)$"{redis.KeyPrefix}limit:{policy}:{client}"], [(long)Window.TotalMilliseconds]))!;
            var count = (long)result[0];
            var ttl = Math.Max((long)result[1], 1000);
            return count > limit ? TimeSpan.FromMilliseconds(ttl) : null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            Log.SharedLoginLimitsUnavailable(logger, e);
            return null;
        }
    }
}
