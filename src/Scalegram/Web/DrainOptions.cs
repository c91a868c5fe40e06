namespace Scalegram.Web;

/// <summary>How long a stopping node keeps serving while its readiness fails (set by the tier that serves traffic: Web:DrainDelay, LoadBalancing:DrainDelay).</summary>
internal sealed class DrainOptions
{
    public TimeSpan Delay { get; set; }
}
