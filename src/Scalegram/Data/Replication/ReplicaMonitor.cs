using System.Data.Common;
using Microsoft.Extensions.Options;

namespace Scalegram.Data.Replication;

/// <summary>
/// Every Data:Postgres:ReplicaPollInterval, asks each store's primary for its WAL position (and which server it
/// is: a change is a failover) and each listed node whether it is in recovery and what it has replayed, and
/// updates the state reads are routed by. Lag in seconds is the smaller of "now − the commit time of the last
/// replayed transaction" and "now − when the primary was first seen past the node's replay position": the
/// first alone reads as minutes after an idle spell, the second is exact to one poll.
/// </summary>
internal sealed class ReplicaMonitor(Database db, IOptions<DataOptions> options, TimeProvider time, ILogger<ReplicaMonitor> logger) : BackgroundService
{
    private const int History = 600;
    private readonly Dictionary<string, Queue<(DateTimeOffset At, Lsn Position)>> _history = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sets = db.Stores.Select(s => s.Replicas).OfType<ReplicaSet>().ToList();
        if (sets.Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Postgres.ReplicaPollInterval, time);
        do
        {
            foreach (var set in sets)
            {
                await PollAsync(set, stoppingToken);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round over a store: the primary first, then each node against the primary's position.</summary>
    public async Task PollAsync(ReplicaSet set, CancellationToken ct)
    {
        await PollPrimaryAsync(set, ct);
        await Task.WhenAll(set.Nodes.Select(n => PollNodeAsync(set, n, ct)));
    }

    private async Task PollPrimaryAsync(ReplicaSet set, CancellationToken ct)
    {
        try
        {
            await using var connection = await set.Primary.OpenAsync(ct);
            await using var reader = await QueryAsync(
                connection,
                "SELECT pg_current_wal_lsn()::text, coalesce(host(inet_server_addr()), 'local') || ':' || current_setting('port')",
                ct);
            await reader.ReadAsync(ct);
            var position = Lsn.Parse(reader.GetString(0));
            var server = reader.GetString(1);
            if (set.PrimaryServer is { } previous && previous != server)
            {
                Log.PrimaryChanged(logger, set.Store, previous, server);
                set.Metrics.Failover(set.Store);

                // Pooled connections may still point at the old primary (now gone or a standby).
                set.Primary.Reset();
            }

            set.PrimaryServer = server;
            set.PrimaryPosition = Lsn.Max(set.PrimaryPosition, position);
            var history = HistoryOf(set.Store);
            history.Enqueue((time.GetUtcNow(), position));
            while (history.Count > History)
            {
                history.Dequeue();
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            Log.PrimaryCheckFailed(logger, set.Store, e);
            set.Primary.Reset();
        }
    }

    private async Task PollNodeAsync(ReplicaSet set, ReplicaNode node, CancellationToken ct)
    {
        try
        {
            await using var connection = await node.Endpoint.OpenAsync(ct);
            await using var reader = await QueryAsync(
                connection,
                """
                SELECT pg_is_in_recovery(),
                       CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END::text,
                       EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8
                """,
                ct);
            await reader.ReadAsync(ct);
            var standby = reader.GetBoolean(0);
            var replayed = reader.IsDBNull(1) ? Lsn.Zero : Lsn.Parse(reader.GetString(1));
            double? sinceReplay = reader.IsDBNull(2) ? null : reader.GetDouble(2);
            var now = time.GetUtcNow();
            var before = node.State.Role;
            if (!standby)
            {
                node.State = new NodeState(ReplicaRole.Primary, replayed, 0, TimeSpan.Zero, now);
            }
            else
            {
                var primaryAt = set.PrimaryPosition;
                var lagBytes = primaryAt.BytesAhead(replayed);
                node.State = new NodeState(ReplicaRole.Standby, replayed, lagBytes, lagBytes == 0 ? TimeSpan.Zero : LagOf(set.Store, replayed, sinceReplay, now), now);
            }

            if (before != node.State.Role && before != ReplicaRole.Unknown)
            {
                Log.NodeRoleChanged(logger, set.Store, node.Name, before.ToString(), node.State.Role.ToString());
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            if (node.State.Role != ReplicaRole.Down)
            {
                Log.NodeCheckFailed(logger, set.Store, node.Name, e);
            }

            node.State = node.State with { Role = ReplicaRole.Down, CheckedAt = time.GetUtcNow() };
            node.Endpoint.Reset();
        }
    }

    private TimeSpan LagOf(string store, Lsn replayed, double? sinceReplay, DateTimeOffset now)
    {
        TimeSpan? sinceAhead = null;
        foreach (var (at, position) in HistoryOf(store))
        {
            if (position > replayed)
            {
                sinceAhead = now - at;
                break;
            }
        }

        var fromReplay = sinceReplay is { } s ? TimeSpan.FromSeconds(Math.Max(0, s)) : (TimeSpan?)null;
        var lag = (sinceAhead, fromReplay) switch
        {
            ({ } a, { } b) => a < b ? a : b,
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => TimeSpan.Zero,
        };
        return lag;
    }

    private Queue<(DateTimeOffset At, Lsn Position)> HistoryOf(string store)
    {
        lock (_history)
        {
            if (!_history.TryGetValue(store, out var queue))
            {
                _history[store] = queue = new Queue<(DateTimeOffset, Lsn)>();
            }

            return queue;
        }
    }

    private static async Task<DbDataReader> QueryAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 5;
        return await command.ExecuteReaderAsync(ct);
    }
}
