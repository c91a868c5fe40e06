using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Scalegram.Web;

/// <summary>
/// Health endpoints every role serves: /healthz/live (the process is up) and /healthz/ready (the
/// checks tagged "ready" pass: each tier adds its own, e.g. the data tier's database check; and it fails from
/// the moment the node starts to stop, see <see cref="Drain"/>).
/// </summary>
internal static class Health
{
    public const string ReadyTag = "ready";

    /// <summary>How long requests in flight get to finish once the server stops, after the drain delay.</summary>
    public static readonly TimeSpan InFlightGrace = TimeSpan.FromSeconds(30);

    /// <summary>Error answers as problem details, and health checks: what every role needs, whatever else it runs.</summary>
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddSingleton<Drain>();
        services.AddHostedService(s => s.GetRequiredService<Drain>());
        services.AddHealthChecks().AddCheck<Drain>("draining", tags: [ReadyTag]);

        // The host's stop waits for the drain, then for requests in flight: give both room.
        services.AddOptions<HostOptions>().Configure<IOptions<DrainOptions>>((host, drain) =>
            host.ShutdownTimeout = TimeSpan.FromTicks(Math.Max(host.ShutdownTimeout.Ticks, (drain.Value.Delay + InFlightGrace).Ticks)));
        return services;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        // Liveness runs no check, so it skips the health-check service and, short-circuited right after routing,
        // every middleware after it (authentication, CSRF, rate limits...): nothing there applies to it. Same answer.
        app.Map("/healthz/live", static http =>
        {
            var headers = http.Response.Headers;
            headers.CacheControl = "no-store, no-cache";
            headers.Pragma = "no-cache";
            headers.Expires = "Thu, 01 Jan 1970 00:00:00 GMT";
            http.Response.ContentType = "text/plain";
            return http.Response.WriteAsync("Healthy", http.RequestAborted);
        }).ShortCircuit();
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) });
        return app;
    }
}
