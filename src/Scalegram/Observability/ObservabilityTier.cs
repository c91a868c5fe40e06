using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Scalegram.Observability;

/// <summary>Registers metrics (Prometheus text at /metrics) and traces, the same on every role.</summary>
public static class ObservabilityTier
{
    public static IServiceCollection AddObservability(this IServiceCollection services, string role)
    {
        services.AddSingleton<ScalegramMetrics>();
        services.AddSingleton<QueueGauges>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueGauges>());
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("scalegram", serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}").AddAttributes([new("scalegram.role", role)]))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(ScalegramMetrics.MeterName, "Npgsql")
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(t => t
                .AddSource(Telemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics")));
        return services;
    }

    public static WebApplication MapObservability(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
