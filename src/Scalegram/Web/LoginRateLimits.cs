using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Scalegram.Web;

/// <summary>
/// Limits sign-in and sign-up attempts per client address. The answer is the same 429 whether
/// or not the username exists, so the limit reveals nothing.
/// </summary>
internal static class LoginRateLimits
{
    public const string SignInPolicy = "sign-in";
    public const string SignUpPolicy = "sign-up";

    public static IServiceCollection AddLoginRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, ct) => new ValueTask(RejectAsync(
                context.HttpContext, context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1)));
            // The validated options from the container, never a copy bound beside them.
            limiter.AddPolicy(SignInPolicy, http => Window(http, Options(http).SignInsPerMinute));
            limiter.AddPolicy(SignUpPolicy, http => Window(http, Options(http).SignUpsPerMinute));
        });
        return services;
    }

    private static WebOptions Options(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value;

    /// <summary>The one 429 answer, whichever limiter (shared or in-process) refused: Retry-After in whole seconds.</summary>
    public static async Task RejectAsync(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (MachinePaths.IsPage(http.Request.Path))
        {
            // The sign-in and sign-up pages: the UI's status-code page says it in HTML.
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return;
        }

        await Problems.Of(429, "rate-limited", $"Too many attempts; try again in {seconds} seconds.").ExecuteAsync(http);
    }

    private static RateLimitPartition<string> Window(HttpContext http, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(
            (http.Connection.RemoteIpAddress ?? IPAddress.Loopback).ToString(),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
