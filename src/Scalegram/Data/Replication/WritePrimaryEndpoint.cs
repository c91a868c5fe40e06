using System.Data.Common;
using Scalegram.Data.Postgres;

namespace Scalegram.Data.Replication;

/// <summary>
/// <c>db.Primary</c> of a store with replicas: notes in the request's read-your-writes session that the
/// store was used for writing, and forgets stale pooled connections when the primary cannot be reached
/// (so the next open looks for the writable host again: Npgsql follows the failover by itself).
/// </summary>
internal sealed class WritePrimaryEndpoint(string store, IStoreEndpoint inner, PostgresEndpoint server) : IStoreEndpoint, IAsyncDisposable
{
    public string Describe => inner.Describe;

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        ReadScope.Session?.UsedPrimary(store);
        try
        {
            return await inner.OpenAsync(ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && FailoverErrors.IsFailover(e))
        {
            server.Reset();
            throw;
        }
    }

    public ValueTask DisposeAsync() => inner is IAsyncDisposable d ? d.DisposeAsync() : ValueTask.CompletedTask;
}
