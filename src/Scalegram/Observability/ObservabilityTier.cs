using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Scalegram.Observability;

/// <summary>
/// Sets up traces, metrics and logs in one place, the same on every role: Prometheus text at
/// /metrics (local callers or the management port only, see <see cref="ManagementEndpoints"/>), JSON console logs carrying the trace id outside Development, OTLP export when
/// Observability:OtlpEndpoint is set. Each tier publishes its own instruments on the one meter.
/// </summary>
internal static class ObservabilityTier
{
    public static WebApplicationBuilder AddObservabilityTier(this WebApplicationBuilder builder, string role)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<ObservabilityOptions>().Bind(configuration.GetSection(ObservabilityOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        // The exporter is chosen now, at registration, so read the settings now too, through the same rules.
        var options = configuration.GetSection(ObservabilityOptions.Section).Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        var problems = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), problems, validateAllProperties: true))
        {
            throw new OptionsValidationException(ObservabilityOptions.Section, typeof(ObservabilityOptions), problems.Select(p => p.ErrorMessage ?? ""));
        }

        UseJsonLogsOutsideDevelopment(builder);
        ManagementEndpoints.ListenOnManagementPort(builder, options);

        services.AddSingleton<ScalegramMetrics>();

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("scalegram", serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}").AddAttributes([new("scalegram.role", role)]))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(ScalegramMetrics.MeterName, "Npgsql")
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));

        // Spans are recorded only where they go somewhere: without an exporter (the embedded default) a recorded
        // span per request cost ~10 % of a node's throughput for nothing (docs/web.md). The request's Activity is
        // made anyway (log lines keep their TraceId, jobs their trace parent). The lb role keeps its own rules.
        if (options.OtlpEndpoint is not null || role == "lb")
        {
            otel.WithTracing(t => t
                .AddSource(Telemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics")));
        }

        if (options.OtlpEndpoint is { } endpoint)
        {
            otel.WithLogging().UseOtlpExporter(OpenTelemetry.Exporter.OtlpExportProtocol.Grpc, endpoint);
        }

        return builder;
    }

    public static WebApplication MapObservability(this WebApplication app)
    {
        app.UseManagementGuard();
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
