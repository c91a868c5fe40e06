using Dapper;
using Scalegram.Data;

namespace Scalegram.Messaging.RabbitMq;

/// <summary>
/// The relay's view of a store's jobs table: claims due, unpublished rows under a lease (so two
/// relays do not publish the same row at once), then marks them published or releases them.
/// </summary>
internal sealed class OutboxRows(TimeProvider time)
{
    private readonly string _relayId = $"relay:{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public async Task<IReadOnlyList<Job>> ClaimAsync(PhysicalStore store, int batch, TimeSpan lease, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var skipLocked = store.Dialect.ForUpdateSkipLocked;
        await using var connection = await store.Primary.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            UPDATE jobs SET lease_until = @until, leased_by = @me
            WHERE id IN (SELECT id FROM jobs
                         WHERE state = 'ready' AND run_after <= @now AND (lease_until IS NULL OR lease_until < @now)
                         ORDER BY run_after LIMIT @batch {skipLocked})
            RETURNING id, queue, type, payload, trace_parent AS traceParent
            """,
            new { until = now + (long)lease.TotalMilliseconds, me = _relayId, now, batch },
            cancellationToken: ct));
        return rows.Select(r => new Job(r.Id, r.Queue, r.Type, r.Payload, 0, r.TraceParent, store.Name)).ToList();
    }

    /// <summary>The broker confirmed these rows: they are never published again.</summary>
    public async Task MarkPublishedAsync(PhysicalStore store, IReadOnlyList<long> ids, CancellationToken ct)
    {
        await using var connection = await store.Primary.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE jobs SET state = 'published', published_at = @now, lease_until = NULL WHERE id {store.Dialect.MatchesAny("@ids")} AND state = 'ready'",
            new { now = time.GetUtcNow().ToUnixTimeMilliseconds(), ids = ids.ToArray() },
            cancellationToken: ct));
    }

    /// <summary>Publishing failed: let the next relay pass (this node's or another's) try again at once.</summary>
    public async Task ReleaseAsync(PhysicalStore store, IReadOnlyList<long> ids, CancellationToken ct)
    {
        await using var connection = await store.Primary.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE jobs SET lease_until = NULL, leased_by = NULL WHERE id {store.Dialect.MatchesAny("@ids")} AND leased_by = @me AND state = 'ready'",
            new { ids = ids.ToArray(), me = _relayId },
            cancellationToken: ct));
    }

    public async Task<int> PruneAsync(PhysicalStore store, TimeSpan retention, CancellationToken ct)
    {
        await using var connection = await store.Primary.OpenAsync(ct);
        var cutoff = time.GetUtcNow().ToUnixTimeMilliseconds() - (long)retention.TotalMilliseconds;
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM jobs WHERE state = 'published' AND published_at < @cutoff", new { cutoff }, cancellationToken: ct));
    }

    private sealed record Row(long Id, string Queue, string Type, string Payload, string? TraceParent);
}
