using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Infrastructure;

/// <summary>The database engine a test node runs on.</summary>
public enum TestEngine
{
    /// <summary>Embedded SQLite files in the node's data directory (the default).</summary>
    Sqlite,

    /// <summary>The test run's PostgreSQL server, a fresh database per node set.</summary>
    Postgres,
}

/// <summary>The settings that put a node on an engine.</summary>
public static class TestEngines
{
    /// <summary>Settings for a new, empty database on the engine (SQLite needs none: each node has its own directory).</summary>
    public static async Task<string[]> FreshDatabaseAsync(TestEngine engine) => engine switch
    {
        TestEngine.Sqlite => [],
        TestEngine.Postgres => PostgresSettings(await (await PostgresServer.SharedAsync()).CreateDatabaseAsync()),
        _ => throw new ArgumentOutOfRangeException(nameof(engine)),
    };

    public static string[] PostgresSettings(string connectionString) =>
        ["--Data:Engine=Postgres", $"--Data:Postgres:Stores:0:Primary={connectionString}"];

    public static string[] RedisSettings(RedisServer redis) =>
        ["--Caching:Engine=Redis", $"--Redis:Configuration={redis.Configuration}"];
}
