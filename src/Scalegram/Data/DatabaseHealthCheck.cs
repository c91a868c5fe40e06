using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scalegram.Data;

namespace Scalegram.Data;

/// <summary>Ready means every physical store's primary answers a query.</summary>
internal sealed class DatabaseHealthCheck(Database db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        foreach (var store in db.Stores)
        {
            try
            {
                await using var connection = await store.Primary.OpenAsync(ct);
                await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: ct));
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy($"Store {store.Name} does not answer.", e);
            }
        }

        return HealthCheckResult.Healthy();
    }
}
