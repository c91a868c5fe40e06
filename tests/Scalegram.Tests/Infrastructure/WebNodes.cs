using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Infrastructure;

/// <summary>
/// Several web nodes in one test process sharing one PostgreSQL database and one Redis, as the
/// `cached` topology runs them: what one node writes, every other node must see at once.
/// </summary>
public sealed class WebNodes : IAsyncDisposable
{
    private WebNodes(IReadOnlyList<TestServer> nodes, RedisServer redis)
    {
        Nodes = nodes;
        Redis = redis;
    }

    public IReadOnlyList<TestServer> Nodes { get; }

    public RedisServer Redis { get; }

    public TestServer A => Nodes[0];

    public TestServer B => Nodes[1];

    /// <summary>Starts <paramref name="count"/> nodes on a fresh database; Redis keys get a prefix of their own.</summary>
    public static async Task<WebNodes> StartAsync(RedisServer redis, int count = 2, params string[] settings)
    {
        var connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("nodes");
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10] + ":";
        var nodes = new List<TestServer>();
        for (var i = 0; i < count; i++)
        {
            nodes.Add(await TestServer.StartAsync(settings: [
                .. TestEngines.PostgresSettings(connectionString),
                .. TestEngines.RedisSettings(redis),
                $"--Redis:KeyPrefix={prefix}",
                .. settings]));
        }

        return new WebNodes(nodes, redis);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
