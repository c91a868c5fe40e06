using Dapper;
using Microsoft.Data.Sqlite;

namespace Scalegram.SystemTests.Infrastructure;

/// <summary>Reads (and, for drills, writes) a node's SQLite store directly, as an operator with sqlite3 would.</summary>
public sealed class StoreFile(string dataDir, int store = 0)
{
    public string Path => System.IO.Path.Combine(dataDir, "db", $"store{store}.db");

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = new SqliteConnection($"Data Source={Path};Pooling=False;Default Timeout=30");
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }

    public async Task ExecuteAsync(string sql, object? args = null)
    {
        await using var connection = new SqliteConnection($"Data Source={Path};Pooling=False;Default Timeout=30");
        await connection.ExecuteAsync(sql, args);
    }

    public Task<string> PhotoStatusAsync(string photoId) =>
        ScalarAsync<string>("SELECT status FROM photos WHERE id = @id", new { id = long.Parse(photoId, System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>Jobs of a type whose payload names the photo (payloads are {"photoId":N}).</summary>
    public Task<long> JobsForPhotoAsync(string type, string photoId) =>
        ScalarAsync<long>("SELECT COUNT(*) FROM jobs WHERE type = @type AND payload = @payload", new { type, payload = $$"""{"photoId":{{photoId}}}""" });
}
