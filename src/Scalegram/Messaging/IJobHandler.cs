namespace Scalegram.Messaging;

/// <summary>Handles one job type. Must be idempotent: a redelivered job changes nothing twice.</summary>
internal interface IJobHandler
{
    string Type { get; }

    Task HandleAsync(Job job, CancellationToken ct);

    /// <summary>Called once when the job is dead-lettered, so what it was for can be marked failed.</summary>
    Task OnGaveUpAsync(Job job, string reason, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>Thrown by a handler when retrying can never help; the job is dead-lettered at once.</summary>
internal sealed class PermanentJobFailure(string message) : Exception(message);
