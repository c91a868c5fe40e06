namespace Scalegram.Data.Ids;

/// <summary>Node-lease timings (section "Data:Ids").</summary>
internal sealed class IdOptions
{
    /// <summary>How long a node ID stays held without renewal; renewed every third of it. A killed node's ID is free again after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long start-up waits for a free node ID (all 32 held) before the process fails.</summary>
    public TimeSpan AcquireTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RenewEvery => Lease / 3;
}
