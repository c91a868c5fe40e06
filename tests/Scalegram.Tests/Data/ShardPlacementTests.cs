using System.Net;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Data;
using Scalegram.Data.Ids;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Data;

/// <summary>
/// The shard placement is recorded in the data on first start; a changed store list that would move
/// shards (and hide their users) refuses to start, naming the setting; the original list still works.
/// </summary>
public sealed class ShardPlacementTests
{
    private static async Task<string> RefusalAsync(string dataDir, params string[] settings)
    {
        string[] args = ["--urls=http://127.0.0.1:0", $"--Data:Directory={dataDir}", "--Logging:LogLevel:Default=None", .. settings];
        await using var app = ScalegramApp.Build(args, NodeRole.All);
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => app.StartAsync());
        return error.Message;
    }

    private static async Task<List<string>> CreateUsersAsync(TestServer server, int count)
    {
        var names = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var client = await ApiClient.NewUserAsync(server, "shard");
            names.Add(await ApiClient.UsernameAsync(client));
        }

        return names;
    }

    private static async Task AssertAllFoundAsync(TestServer server, IEnumerable<string> names)
    {
        using var anonymous = server.CreateClient();
        foreach (var name in names)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/users/{name}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/users/{name}/photos")).StatusCode);
        }
    }

    [Fact]
    public async Task Going_from_one_sqlite_store_to_two_refuses_to_start_and_going_back_finds_every_user()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "scalegram-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            List<string> names;
            await using (var first = await TestServer.StartAsync(dataDir: dataDir))
            {
                // 16 users: the chance that none lands on a shard the second store would win is 2^-16.
                names = await CreateUsersAsync(first, 16);
                var database = first.Services.GetRequiredService<Database>();
                await using var connection = await database.Directory.Primary.OpenAsync(CancellationToken.None);
                Assert.Equal(ScalegramId.LogicalShardCount, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM shard_map WHERE store = 'store0'"));
            }

            var message = await RefusalAsync(dataDir, "--Data:SqliteStores=2");
            Assert.Contains("Data:SqliteStores", message);
            Assert.Contains("logical shards would move", message);

            await using var again = await TestServer.StartAsync(dataDir: dataDir);
            await AssertAllFoundAsync(again, names);
            using var anonymous = again.CreateClient();
            using var signedIn = again.CreateClient(await ApiClient.TokenAsync(anonymous, names[0]));
            Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/api/me")).StatusCode);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Two_sqlite_stores_record_their_own_shards_and_restart_cleanly()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "scalegram-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            List<string> names;
            await using (var first = await TestServer.StartAsync(dataDir: dataDir, settings: ["--Data:SqliteStores=2"]))
            {
                names = await CreateUsersAsync(first, 4);
                var database = first.Services.GetRequiredService<Database>();
                long total = 0;
                for (var i = 0; i < 2; i++)
                {
                    await using var connection = await database.Stores[i].Primary.OpenAsync(CancellationToken.None);
                    var owned = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM shard_map WHERE store = @s", new { s = $"store{i}" });
                    Assert.Equal(database.Map.CountOn(i), owned);
                    total += owned;
                }

                Assert.Equal(ScalegramId.LogicalShardCount, total);
            }

            Assert.Contains("Data:SqliteStores", await RefusalAsync(dataDir, "--Data:SqliteStores=1"));
            Assert.Contains("Data:SqliteStores", await RefusalAsync(dataDir, "--Data:SqliteStores=3"));

            await using var again = await TestServer.StartAsync(dataDir: dataDir, settings: ["--Data:SqliteStores=2"]);
            await AssertAllFoundAsync(again, names);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Adding_a_postgres_store_refuses_to_start_naming_the_setting()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "scalegram-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var server = await PostgresServer.SharedAsync();
            var store0 = await server.CreateDatabaseAsync();
            var store1 = await server.CreateDatabaseAsync();
            List<string> names;
            await using (var first = await TestServer.StartAsync(dataDir: dataDir, settings: TestEngines.PostgresSettings(store0)))
            {
                names = await CreateUsersAsync(first, 4);
            }

            var message = await RefusalAsync(dataDir, [.. TestEngines.PostgresSettings(store0), $"--Data:Postgres:Stores:1:Primary={store1}"]);
            Assert.Contains("Data:Postgres:Stores", message);

            await using var again = await TestServer.StartAsync(dataDir: dataDir, settings: TestEngines.PostgresSettings(store0));
            await AssertAllFoundAsync(again, names);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
