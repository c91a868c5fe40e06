using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Data;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Durability;

/// <summary>Reads a node's embedded database directly, to see what the API does not show (jobs and their leases).</summary>
public static class JobsTable
{
    public static string ConnectionString(string dataDir) =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDir, "db", "store0.db"), Pooling = false }.ToString();

    public static async Task<long> CountAsync(string dataDir, string where)
    {
        await using var connection = new SqliteConnection(ConnectionString(dataDir));
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM jobs WHERE {where}");
    }

    /// <summary>Counts jobs on a running node's directory store through its own connections, whatever the engine.</summary>
    public static async Task<long> CountAsync(TestServer server, string where)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().Directory.Primary.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM jobs WHERE {where}");
    }

    public static async Task<int> ExecuteAsync(string dataDir, string sql, object? args = null)
    {
        await using var connection = new SqliteConnection(ConnectionString(dataDir));
        await connection.OpenAsync();
        return await connection.ExecuteAsync(sql, args);
    }
}
