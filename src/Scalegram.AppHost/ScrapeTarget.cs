namespace Scalegram.AppHost;

/// <summary>One process Prometheus scrapes: its resource name, its role (the job) and the address of its /metrics.</summary>
internal sealed record ScrapeTarget(string Name, string Role, string Address);
