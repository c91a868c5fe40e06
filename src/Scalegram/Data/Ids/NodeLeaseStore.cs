using Dapper;

namespace Scalegram.Data.Ids;

/// <summary>The node_leases table on the directory store: take a free node ID, renew it, give it back; each one atomic statement.</summary>
internal sealed class NodeLeaseStore(Database db)
{
    /// <summary>Where the leases live, for messages.</summary>
    public string Describe => Store.Primary.Describe;

    private PhysicalStore Store => db.Directory;

    /// <summary>
    /// Takes a node ID whose holding expired (database clock) and whose fence this process's clock has
    /// passed (<paramref name="clockMillis"/>), or returns null when every one is held.
    /// </summary>
    public async Task<int?> TryTakeAsync(string holder, string holderName, long clockMillis, long fenceMillis, TimeSpan lease, CancellationToken ct)
    {
        var now = Store.Dialect.NowMillis;
        var free = $"expires_at < {now} AND fence_ms < @clockMillis AND node_id < @maxNodes";
        var sql = $"""
            UPDATE node_leases
            SET holder = @holder, holder_name = @holderName, fence_ms = @fenceMillis, expires_at = {now} + @leaseMillis, taken_at = {now}
            WHERE node_id = (SELECT node_id FROM node_leases WHERE {free} ORDER BY expires_at, node_id LIMIT 1 {Store.Dialect.ForUpdateSkipLocked})
              AND {free}
            RETURNING node_id
            """;
        await using var connection = await Store.Primary.OpenAsync(ct);
        var taken = await connection.QueryAsync<long>(new CommandDefinition(
            sql,
            new { holder, holderName, clockMillis, fenceMillis, leaseMillis = (long)lease.TotalMilliseconds, maxNodes = ScalegramId.MaxNodes },
            cancellationToken: ct));
        return taken.Select(id => (int?)id).FirstOrDefault();
    }

    /// <summary>Extends a holding (the fence never moves back); false if the node ID is no longer this holder's.</summary>
    public async Task<bool> RenewAsync(NodeLease lease, long fenceMillis, TimeSpan duration, CancellationToken ct)
    {
        var sql = $"""
            UPDATE node_leases
            SET fence_ms = CASE WHEN fence_ms > @fenceMillis THEN fence_ms ELSE @fenceMillis END, expires_at = {Store.Dialect.NowMillis} + @leaseMillis
            WHERE node_id = @node AND holder = @holder
            """;
        await using var connection = await Store.Primary.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { fenceMillis, leaseMillis = (long)duration.TotalMilliseconds, node = lease.NodeId, holder = lease.Holder },
            cancellationToken: ct)) == 1;
    }

    /// <summary>Gives a node ID back at once, recording the last millisecond its IDs carry as the fence for the next holder.</summary>
    public async Task ReleaseAsync(NodeLease lease, long lastMillis, CancellationToken ct)
    {
        await using var connection = await Store.Primary.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE node_leases SET holder = NULL, fence_ms = @lastMillis, expires_at = 0 WHERE node_id = @node AND holder = @holder",
            new { lastMillis, node = lease.NodeId, holder = lease.Holder },
            cancellationToken: ct));
    }
}
