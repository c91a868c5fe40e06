using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Scalegram.Web;

/// <summary>
/// Health endpoints every role serves: /healthz/live (the process is up) and /healthz/ready (the
/// checks tagged "ready" pass: each tier adds its own, e.g. the data tier's database check).
/// </summary>
internal static class Health
{
    public const string ReadyTag = "ready";

    /// <summary>Error answers as problem details, and health checks: what every role needs, whatever else it runs.</summary>
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddHealthChecks();
        return services;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) });
        return app;
    }
}
