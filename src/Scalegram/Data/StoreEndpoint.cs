using System.Data.Common;

namespace Scalegram.Data;

/// <summary>One way into a physical store (its primary or its replicas): opens pooled connections.</summary>
internal interface IStoreEndpoint
{
    string Describe { get; }

    Task<DbConnection> OpenAsync(CancellationToken ct = default);

    /// <summary>
    /// Runs one read on a connection from this endpoint. On <c>db.Replica</c> of a replicated store a read that
    /// fails at the connection level is run once more on another node, so <paramref name="read"/> must be safe
    /// to repeat (a query, no writes).
    /// </summary>
    async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        return await read(connection, ct);
    }
}
