namespace Scalegram.Tests.Infrastructure;

/// <summary>
/// Base of every API test class: starts one node on <see cref="Engine"/> with an empty database.
/// A class runs on SQLite as written; one more line runs all of it on PostgreSQL too:
/// <c>public sealed class FooTestsOnPostgres : FooTests { protected override TestEngine Engine => TestEngine.Postgres; }</c>
/// </summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    private readonly List<TestServer> _servers = [];

    /// <summary>The node most tests talk to, started before each test.</summary>
    protected TestServer Server { get; private set; } = null!;

    /// <summary>Which database engine this class runs on; PostgreSQL subclasses override it.</summary>
    protected virtual TestEngine Engine => TestEngine.Sqlite;

    /// <summary>Extra configuration for the node (e.g. "--Web:SignInsPerMinute=3").</summary>
    protected virtual string[] Settings => [];

    public virtual async Task InitializeAsync() => Server = await StartServerAsync(Settings);

    public virtual async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>Starts another node on a fresh, empty database on this class's engine; stopped after the test.</summary>
    protected async Task<TestServer> StartServerAsync(params string[] settings)
    {
        var server = await TestServer.StartAsync(settings: [.. await TestEngines.FreshDatabaseAsync(Engine), .. settings]);
        _servers.Add(server);
        return server;
    }
}
