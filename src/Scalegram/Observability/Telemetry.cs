using System.Diagnostics;

namespace Scalegram.Observability;

/// <summary>The app's one trace source; spans from the web role continue into the worker through the job's trace parent.</summary>
internal static class Telemetry
{
    public const string Name = "Scalegram";

    public static readonly ActivitySource Source = new(Name);
}
