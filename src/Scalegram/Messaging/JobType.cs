namespace Scalegram.Messaging;

/// <summary>A kind of job: its stable name and the queue it travels on. The product declares them; this tier only carries them.</summary>
internal sealed record JobType(string Name, string Queue);
