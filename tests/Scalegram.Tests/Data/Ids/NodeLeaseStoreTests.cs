using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Scalegram.Data;
using Scalegram.Data.Ids;
using Scalegram.Data.Migrations;
using Scalegram.Observability;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;

namespace Scalegram.Tests.Data.Ids;

/// <summary>
/// The node_leases table on both engines: a node ID is held by one process at a time, and is taken
/// again only after its lease expired and the taker's clock passed the last millisecond it could mint in.
/// </summary>
public sealed class NodeLeaseStoreTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(TestEngine.Sqlite)]
    [InlineData(TestEngine.Postgres)]
    public async Task Thirty_two_processes_get_thirty_two_different_node_ids_and_a_33rd_gets_none(TestEngine engine)
    {
        var (db, leases) = await StoreAsync(engine);
        await using var _ = db;

        var taken = await Task.WhenAll(Enumerable.Range(0, ScalegramId.MaxNodes).Select(i => leases.TryTakeAsync($"h{i}", "test", 1_000, 2_000, Long, default)));

        Assert.Equal(Enumerable.Range(0, ScalegramId.MaxNodes), taken.Select(n => n!.Value).Order());
        Assert.Null(await leases.TryTakeAsync("late", "test", 1_000, 2_000, Long, default));

        // While the leases are live (by the database's clock) nobody gets one, whatever the taker's clock says.
        Assert.Null(await leases.TryTakeAsync("clock far ahead", "test", 900_000, 910_000, Long, default));
    }

    [Theory]
    [InlineData(TestEngine.Sqlite)]
    [InlineData(TestEngine.Postgres)]
    public async Task An_expired_node_id_is_taken_again_only_once_the_takers_clock_passed_its_fence(TestEngine engine)
    {
        var (db, leases) = await StoreAsync(engine);
        await using var _ = db;
        for (var i = 0; i < ScalegramId.MaxNodes; i++)
        {
            Assert.NotNull(await leases.TryTakeAsync($"h{i}", "test", 1_000, 5_000, TimeSpan.FromMilliseconds(300), default));
        }

        await Task.Delay(500);

        // Expired, but the dead holders may have minted up to millisecond 5,000 of ID time.
        Assert.Null(await leases.TryTakeAsync("slow clock", "test", 5_000, 6_000, Long, default));
        Assert.NotNull(await leases.TryTakeAsync("after the fence", "test", 5_001, 6_000, Long, default));
    }

    [Theory]
    [InlineData(TestEngine.Sqlite)]
    [InlineData(TestEngine.Postgres)]
    public async Task A_renewal_keeps_the_highest_fence_and_fails_once_another_holder_took_the_node_id(TestEngine engine)
    {
        var (db, leases) = await StoreAsync(engine);
        await using var _ = db;
        var node = (await leases.TryTakeAsync("a", "test", 1_000, 2_000, TimeSpan.FromMilliseconds(300), default))!.Value;
        var lease = new NodeLease(node, "a", 1_000, 2_000);

        Assert.True(await leases.RenewAsync(lease, 3_000, TimeSpan.FromMilliseconds(300), default));
        Assert.True(await leases.RenewAsync(lease, 2_500, TimeSpan.FromMilliseconds(300), default));
        Assert.Equal(3_000, await FenceAsync(db, node));

        await TakeAllButAsync(leases, node);
        await Task.Delay(500);
        Assert.Equal(node, await leases.TryTakeAsync("b", "test", 3_001, 4_000, Long, default));
        Assert.False(await leases.RenewAsync(lease, 9_000, Long, default));
        Assert.Equal(4_000, await FenceAsync(db, node));
    }

    [Theory]
    [InlineData(TestEngine.Sqlite)]
    [InlineData(TestEngine.Postgres)]
    public async Task A_released_node_id_is_free_at_once_after_the_last_millisecond_it_minted_in(TestEngine engine)
    {
        var (db, leases) = await StoreAsync(engine);
        await using var _ = db;
        var node = (await leases.TryTakeAsync("a", "test", 1_000, 60_000, Long, default))!.Value;
        await TakeAllButAsync(leases, node);

        await leases.ReleaseAsync(new NodeLease(node, "a", 1_000, 60_000), 1_234, default);

        Assert.Null(await leases.TryTakeAsync("b", "test", 1_234, 70_000, Long, default));
        Assert.Equal(node, await leases.TryTakeAsync("b", "test", 1_235, 70_000, Long, default));
    }

    [Fact]
    public async Task Two_keepers_on_one_store_hold_different_node_ids_and_give_them_back_on_stop()
    {
        var (db, leases) = await StoreAsync(TestEngine.Sqlite);
        await using var _ = db;
        var options = Options.Create(new DataOptions());
        var a = new IdGenerator(TimeProvider.System);
        var b = new IdGenerator(TimeProvider.System);
        using var keeperA = new NodeLeaseKeeper(leases, a, options, TimeProvider.System, NullLogger<NodeLeaseKeeper>.Instance);
        using var keeperB = new NodeLeaseKeeper(leases, b, options, TimeProvider.System, NullLogger<NodeLeaseKeeper>.Instance);

        await keeperA.StartAsync(default);
        await keeperB.StartAsync(default);
        Assert.NotEqual(a.Lease!.NodeId, b.Lease!.NodeId);
        var last = a.Next(7);
        await keeperA.StopAsync(default);
        await keeperB.StopAsync(default);

        Assert.Null(a.Lease);
        await using var connection = await db.Directory.Primary.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM node_leases WHERE holder IS NOT NULL"));
        Assert.Equal(ScalegramId.MillisOf(last), await FenceAsync(db, ScalegramId.NodeOf(last)));
    }

    private static async Task TakeAllButAsync(NodeLeaseStore leases, int node)
    {
        for (var i = 0; i < ScalegramId.MaxNodes - 1; i++)
        {
            Assert.NotEqual(node, await leases.TryTakeAsync($"other{i}", "test", 1_000, 1_000_000, Long, default));
        }
    }

    private static async Task<long> FenceAsync(Database db, int node)
    {
        await using var connection = await db.Directory.Primary.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT fence_ms FROM node_leases WHERE node_id = @node", new { node = (long)node });
    }

    private static async Task<(Database Db, NodeLeaseStore Leases)> StoreAsync(TestEngine engine)
    {
        var options = new DataOptions { Directory = Path.Combine(Path.GetTempPath(), "scalegram-leases-" + Guid.NewGuid().ToString("N")) };
        if (engine == TestEngine.Postgres)
        {
            options.Engine = DataEngine.Postgres;
            options.Postgres.Stores.Add(new() { Primary = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("leases") });
        }

        var services = new ServiceCollection().AddMetrics().AddSingleton<ScalegramMetrics>().BuildServiceProvider();
        var db = DataTier.Create(options, services.GetRequiredService<ScalegramMetrics>());
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAllAsync();
        return (db, new NodeLeaseStore(db));
    }
}
