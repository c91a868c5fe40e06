using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Scalegram.Data.Sqlite;

/// <summary>Opens connections to one SQLite file, set up for durability: WAL, synchronous=FULL, foreign keys on.</summary>
internal sealed class SqliteEndpoint : IStoreEndpoint
{
    private readonly string _connectionString;

    public SqliteEndpoint(string path)
    {
        DataDirectory.EnsurePrivate(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        DataDirectory.EnsurePrivateDatabaseFile(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
        Path = path;

        // WAL is a property of the file, so set it once; every acknowledged commit is then
        // fsynced by synchronous=FULL below and survives kill -9 and power loss.
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    public string Path { get; }

    public string Describe => $"sqlite:{Path}";

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
        await command.ExecuteNonQueryAsync(ct);
        return connection;
    }
}
