using System.Data.Common;

namespace Scalegram.Data.Replication;

/// <summary>
/// <c>db.Replica</c> of a store with replicas: sends each read to a standby that is up, within
/// Data:Postgres:MaxReplicaLag and past the reader's own writes, else to the primary; a read that fails at
/// the connection level on a standby is tried once more elsewhere (reads are safe to repeat).
/// </summary>
internal sealed class ReplicaEndpoint(ReplicaSet set, IStoreEndpoint primary) : IStoreEndpoint
{
    public string Describe => $"replicas of {set.Store} ({string.Join(", ", set.Nodes.Select(n => n.Name))})";

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default) => (await OpenRoutedAsync(null, ct)).Connection;

    public async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken ct = default)
    {
        var (connection, node) = await OpenRoutedAsync(null, ct);
        try
        {
            await using (connection)
            {
                return await read(connection, ct);
            }
        }
        catch (Exception e) when (node is not null && !ct.IsCancellationRequested && (FailoverErrors.IsFailover(e) || FailoverErrors.IsBehindOnSchema(e)))
        {
            if (FailoverErrors.IsFailover(e))
            {
                node.MarkDown();
            }

            set.Metrics.Retried(set.Store);

            // A standby behind on a migration: every standby may be, so only the primary surely has the schema.
            var again = FailoverErrors.IsFailover(e) ? (await OpenRoutedAsync(node, ct)).Connection : await primary.OpenAsync(ct);
            await using (again)
            {
                return await read(again, ct);
            }
        }
    }

    private async Task<(DbConnection Connection, ReplicaNode? Node)> OpenRoutedAsync(ReplicaNode? exclude, CancellationToken ct)
    {
        var required = ReadScope.PrimaryRequired ? null
            : ReadScope.Session is { } session ? await session.RequiredAsync(set.Store, ct)
            : Lsn.Zero;
        var (node, ask) = set.Choose(required, exclude);
        if (node is null && ask is not null && await TryAskAsync(ask, required!.Value, ct) is { } asked)
        {
            set.Metrics.Read(set.Store, replica: true);
            return (asked, ask);
        }

        if (node is null)
        {
            if (ask is not null)
            {
                set.Metrics.ReadYourWritesFallback(set.Store);
            }

            set.Metrics.Read(set.Store, replica: false);
            return (await primary.OpenAsync(ct), null);
        }

        try
        {
            var connection = await node.Endpoint.OpenAsync(ct);
            set.Metrics.Read(set.Store, replica: true);
            return (connection, node);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && FailoverErrors.IsFailover(e) && exclude is null)
        {
            node.MarkDown();
            set.Metrics.Retried(set.Store);
            return await OpenRoutedAsync(node, ct);
        }
    }

    /// <summary>A connection to <paramref name="node"/> if it has replayed <paramref name="required"/> by now; else null.</summary>
    private static async Task<DbConnection?> TryAskAsync(ReplicaNode node, Lsn required, CancellationToken ct)
    {
        DbConnection? connection = null;
        try
        {
            connection = await node.Endpoint.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT pg_last_wal_replay_lsn()::text";
            if (Lsn.ParseOrNull(await command.ExecuteScalarAsync(ct) as string) is { } replayed && replayed >= required)
            {
                node.State = node.State with { Replayed = Lsn.Max(node.State.Replayed, replayed) };
                return connection;
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested && FailoverErrors.IsFailover(e))
        {
            node.MarkDown();
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        return null;
    }
}
