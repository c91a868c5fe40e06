namespace Scalegram.Messaging;

/// <summary>A job as a worker receives it. The payload is JSON holding IDs only, never whole objects.</summary>
internal sealed record Job(long Id, string Queue, string Type, string Payload, int Attempts, string? TraceParent, string Store);
