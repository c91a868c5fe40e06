using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Scalegram.Web;

/// <summary>
/// Limits sign-in and sign-up attempts per client address. The answer is the same 429 whether
/// or not the username exists, so the limit reveals nothing.
/// </summary>
public static class LoginRateLimits
{
    public const string SignInPolicy = "sign-in";
    public const string SignUpPolicy = "sign-up";

    public static IServiceCollection AddLoginRateLimits(this IServiceCollection services, WebOptions options)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (Ui.WebUi.IsPage(context.HttpContext.Request.Path))
                {
                    // The sign-in and sign-up pages: the UI's status-code page says it in HTML.
                    return;
                }

                await Problems.Of(429, "rate-limited", $"Too many attempts; try again in {(int)Math.Ceiling(retryAfter.TotalSeconds)} seconds.")
                    .ExecuteAsync(context.HttpContext);
            };
            limiter.AddPolicy(SignInPolicy, http => Window(http, options.SignInsPerMinute));
            limiter.AddPolicy(SignUpPolicy, http => Window(http, options.SignUpsPerMinute));
        });
        return services;
    }

    private static RateLimitPartition<string> Window(HttpContext http, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(
            (http.Connection.RemoteIpAddress ?? IPAddress.Loopback).ToString(),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
