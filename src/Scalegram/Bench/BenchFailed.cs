namespace Scalegram.Bench;

/// <summary>The run cannot go on (server unreachable, seeding refused); the message says why.</summary>
internal sealed class BenchFailed(string message) : Exception(message);
