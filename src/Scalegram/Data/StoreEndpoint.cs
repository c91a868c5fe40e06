using System.Data.Common;

namespace Scalegram.Data;

/// <summary>One way into a physical store (its primary or a replica): opens pooled connections.</summary>
internal interface IStoreEndpoint
{
    string Describe { get; }

    Task<DbConnection> OpenAsync(CancellationToken ct = default);
}
