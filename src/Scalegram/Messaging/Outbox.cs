using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Scalegram.Data.Ids;

namespace Scalegram.Messaging;

/// <summary>
/// Writes a job into the same transaction as the change that causes it, so a job exists
/// exactly when its change committed. The transport (embedded or RabbitMQ) takes it from there.
/// </summary>
internal sealed class Outbox(IdGenerator ids, TimeProvider time, JobSignal signal, JobCatalog catalog)
{
    public async Task EnqueueAsync(DbTransaction tx, int logicalShard, string type, object payload, CancellationToken ct, TimeSpan? delay = null)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO jobs (id, queue, type, payload, state, attempts, run_after, trace_parent, created_at)
            VALUES (@id, @queue, @type, @payload, 'ready', 0, @runAfter, @traceParent, @now)
            """,
            new
            {
                id = ids.Next(logicalShard),
                queue = catalog.QueueOf(type),
                type,
                payload = JsonSerializer.Serialize(payload, payload.GetType(), JobJson.Options),
                runAfter = now + (long)(delay ?? TimeSpan.Zero).TotalMilliseconds,
                traceParent = Activity.Current?.Id,
                now,
            },
            tx,
            cancellationToken: ct));
    }

    /// <summary>Commits a transaction that enqueued jobs and wakes this process's idle workers.</summary>
    public async Task CommitAsync(DbTransaction tx, CancellationToken ct = default)
    {
        await tx.CommitAsync(ct);
        signal.Pulse();
    }
}

/// <summary>The JSON shape of job payloads: camelCase, IDs as numbers (they never reach a browser).</summary>
internal static class JobJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static T Read<T>(Job job) =>
        JsonSerializer.Deserialize<T>(job.Payload, Options) ?? throw new PermanentJobFailure($"Job {job.Id} has an empty payload.");
}
