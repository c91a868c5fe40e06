using System.Data.Common;
using Scalegram.Observability;

namespace Scalegram.Data;

/// <summary>Counts every connection opened against a store, so /metrics shows DB calls by store and role.</summary>
internal sealed class CountingEndpoint(IStoreEndpoint inner, string store, string role, ScalegramMetrics metrics) : IStoreEndpoint, IAsyncDisposable
{
    public string Describe => inner.Describe;

    public Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        metrics.DbCall(store, role);
        return inner.OpenAsync(ct);
    }

    public ValueTask DisposeAsync() => inner is IAsyncDisposable d ? d.DisposeAsync() : ValueTask.CompletedTask;
}
