using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Scalegram.Observability.Ops;

namespace Scalegram.Observability;

/// <summary>
/// Sets up traces, metrics and logs in one place, the same on every role: Prometheus text at
/// /metrics, JSON console logs carrying the trace id outside Development, OTLP export when
/// Observability:OtlpEndpoint is set, and the in-process sampler behind the ops page.
/// </summary>
public static class ObservabilityTier
{
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder, string role)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<ObservabilityOptions>().Bind(configuration.GetSection(ObservabilityOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(ObservabilityOptions.Section).Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        UseJsonLogsOutsideDevelopment(builder);

        services.AddSingleton<ScalegramMetrics>();
        services.AddSingleton<QueueGauges>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueGauges>());
        services.AddSingleton<ActiveUsers>();
        services.AddHostedService<CacheEvictionCounter>();
        services.AddOpsSampler();

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("scalegram", serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}").AddAttributes([new("scalegram.role", role)]))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(ScalegramMetrics.MeterName, "Npgsql")
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(t => t
                .AddSource(Telemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics")));
        if (options.OtlpEndpoint is { } endpoint)
        {
            otel.WithLogging().UseOtlpExporter(OpenTelemetry.Exporter.OtlpExportProtocol.Grpc, endpoint);
        }

        return builder;
    }

    public static WebApplication MapObservability(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>
    /// Production logs are one JSON object per line with scopes, so each line carries the TraceId
    /// and SpanId of the request or job that wrote it. An explicit Logging:Console:FormatterName wins.
    /// </summary>
    private static void UseJsonLogsOutsideDevelopment(WebApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment() || !string.IsNullOrEmpty(builder.Configuration["Logging:Console:FormatterName"]))
        {
            return;
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:Console:FormatterName"] = "json",
            ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
            ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
            ["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ",
        });
    }
}
