using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Scalegram.Data.Ids;

/// <summary>Ready means this process can mint IDs: it holds a node ID and its lease has not run out.</summary>
internal sealed class IdsHealthCheck(IdGenerator ids) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ids.CanMint(out var reason) ? HealthCheckResult.Healthy(reason) : HealthCheckResult.Unhealthy(reason));
}
