using Dapper;
using Scalegram.Data;

namespace Scalegram.Messaging;

/// <summary>
/// The embedded transport: jobs stay in each store's jobs table and workers lease them.
/// A lease that is not renewed (the worker died) expires and the job runs again.
/// </summary>
internal sealed class EmbeddedQueue(Database database, TimeProvider time) : IQueueStatsSource
{
    private readonly string _workerId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Leases the next due job of any queue (arrival order across queues: the one-pool baseline).</summary>
    public Task<Job?> ClaimAsync(PhysicalStore store, TimeSpan lease, CancellationToken ct) => ClaimAsync(store, null, lease, ct);

    /// <summary>Leases the next due job of one queue (null: of any), so each queue's workers claim only their own.</summary>
    public async Task<Job?> ClaimAsync(PhysicalStore store, string? fromQueue, TimeSpan lease, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var skipLocked = store.Dialect.ForUpdateSkipLocked;
        await using var connection = await store.Primary.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            $"""
            UPDATE jobs SET lease_until = @until, leased_by = @me, attempts = attempts + 1
            WHERE id = (SELECT id FROM jobs
                        WHERE state = 'ready' AND run_after <= @now AND (lease_until IS NULL OR lease_until < @now){(fromQueue is null ? "" : " AND queue = @fromQueue")}
                        ORDER BY run_after LIMIT 1 {skipLocked})
            RETURNING id, queue, type, payload, attempts, trace_parent AS traceParent
            """,
            new { until = now + (long)lease.TotalMilliseconds, me = _workerId, now, fromQueue },
            cancellationToken: ct));
        return row is null ? null : new Job(row.Id, row.Queue, row.Type, row.Payload, (int)row.Attempts, row.TraceParent, store.Name);
    }

    public async Task<bool> RenewAsync(PhysicalStore store, long jobId, TimeSpan lease, CancellationToken ct)
    {
        await using var connection = await store.Primary.OpenAsync(ct);
        var until = time.GetUtcNow().ToUnixTimeMilliseconds() + (long)lease.TotalMilliseconds;
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET lease_until = @until WHERE id = @jobId AND leased_by = @me",
            new { until, jobId, me = _workerId },
            cancellationToken: ct)) == 1;
    }

    public async Task CompleteAsync(PhysicalStore store, long jobId, CancellationToken ct)
    {
        await using var connection = await store.Primary.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM jobs WHERE id = @jobId AND leased_by = @me", new { jobId, me = _workerId }, cancellationToken: ct));
    }

    public async Task RetryAsync(PhysicalStore store, long jobId, TimeSpan delay, string error, CancellationToken ct)
    {
        await using var connection = await store.Primary.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE jobs SET lease_until = NULL, leased_by = NULL, run_after = @runAfter, last_error = @error
            WHERE id = @jobId AND leased_by = @me
            """,
            new { runAfter = time.GetUtcNow().ToUnixTimeMilliseconds() + (long)delay.TotalMilliseconds, error, jobId, me = _workerId },
            cancellationToken: ct));
    }

    /// <summary>Reschedules a job after a dependency outage; the attempt its lease counted is given back.</summary>
    public async Task PostponeAsync(PhysicalStore store, long jobId, TimeSpan delay, string error, CancellationToken ct)
    {
        await using var connection = await store.Primary.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE jobs SET lease_until = NULL, leased_by = NULL, run_after = @runAfter, last_error = @error,
                attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END
            WHERE id = @jobId AND leased_by = @me
            """,
            new { runAfter = time.GetUtcNow().ToUnixTimeMilliseconds() + (long)delay.TotalMilliseconds, error, jobId, me = _workerId },
            cancellationToken: ct));
    }

    /// <summary>Parks a job that can never succeed; it stays visible for operators (state 'dead').</summary>
    public async Task DeadLetterAsync(PhysicalStore store, long jobId, string error, CancellationToken ct)
    {
        await using var connection = await store.Primary.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET state = 'dead', lease_until = NULL, last_error = @error WHERE id = @jobId AND leased_by = @me",
            new { error, jobId, me = _workerId },
            cancellationToken: ct));
    }

    /// <summary>Depth and age of the oldest waiting job, per queue, across every store.</summary>
    public async Task<IReadOnlyList<QueueStats>> StatsAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var totals = new Dictionary<(string Queue, string State), (long Depth, long OldestMs)>();
        foreach (var store in database.Stores)
        {
            var rows = await store.Replica.ReadAsync(
                (connection, token) => connection.QueryAsync<(string Queue, string State, long Depth, long Oldest)>(new CommandDefinition(
                    "SELECT queue, state, COUNT(*), MIN(created_at) FROM jobs GROUP BY queue, state", cancellationToken: token)),
                ct);
            foreach (var r in rows)
            {
                var key = (r.Queue, r.State);
                var age = now - r.Oldest;
                totals[key] = totals.TryGetValue(key, out var t) ? (t.Depth + r.Depth, Math.Max(t.OldestMs, age)) : (r.Depth, age);
            }
        }

        return totals.Select(kv => new QueueStats(kv.Key.Queue, kv.Key.State, kv.Value.Depth, TimeSpan.FromMilliseconds(kv.Value.OldestMs))).ToList();
    }

    private sealed record JobRow(long Id, string Queue, string Type, string Payload, long Attempts, string? TraceParent);
}

/// <summary>How many jobs wait in one queue and state, and how old the oldest is (null where the source cannot tell, e.g. the broker).</summary>
internal sealed record QueueStats(string Queue, string State, long Depth, TimeSpan? OldestAge);
