using System.ComponentModel.DataAnnotations;

namespace Scalegram.Observability;

/// <summary>The observability tier's settings (section "Observability").</summary>
internal sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    /// <summary>An OTLP collector (e.g. http://127.0.0.1:4317); when set, traces, metrics and logs are exported to it too.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>How often the ops page's sampler closes a data point.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Observability:SampleInterval must be between 1 s and 10 min.")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How much history the ops page keeps in memory (the ring buffer's span).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Observability:History must be between 1 min and 1 day.")]
    public TimeSpan History { get; set; } = TimeSpan.FromHours(1);
}
