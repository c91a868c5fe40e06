using System.Globalization;
using Scalegram.Data.Ids;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Data.Ids;

/// <summary>
/// The proof that IDs are unique across processes: eight real `scalegram` processes share one store,
/// wait at a barrier, then mint for the same logical shard at the same moment; not one ID repeats.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class ConcurrentMintingTests
{
    private const int Processes = 8;
    private const int IdsPerProcess = 20_000;
    private const int Shard = 4242;

    [Theory]
    [InlineData(TestEngine.Sqlite)]
    [InlineData(TestEngine.Postgres)]
    public async Task Eight_processes_minting_for_one_shard_at_once_never_mint_the_same_id(TestEngine engine)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "scalegram-ids-" + Guid.NewGuid().ToString("N"));
        string[] settings = [.. await TestEngines.FreshDatabaseAsync(engine), "--Logging:LogLevel:Default=Warning"];

        // Create the schema once, so the eight do not all migrate at the same moment.
        await using (var migrate = CliProcess.Start(["migrate", "--data-dir", dataDir, .. settings]))
        {
            Assert.True(await migrate.WaitForExitAsync() == 0, migrate.Errors);
        }

        var minters = Enumerable.Range(0, Processes)
            .Select(_ => CliProcess.Start(["ids", "mint", "--shard", Shard.ToString(CultureInfo.InvariantCulture), "--count", IdsPerProcess.ToString(CultureInfo.InvariantCulture), "--wait", "--data-dir", dataDir, .. settings]))
            .ToList();
        try
        {
            await Task.WhenAll(minters.Select(m => m.WaitReadyAsync()));
            await Task.WhenAll(minters.Select(m => m.SendAsync("go")));
            foreach (var minter in minters)
            {
                Assert.True(await minter.WaitForExitAsync() == 0, minter.Errors);
                Assert.Equal("done", minter.Lines[^1]);
            }

            var ids = minters.SelectMany(m => m.Lines.SkipLast(1)).Select(line => long.Parse(line, CultureInfo.InvariantCulture)).ToList();
            var duplicates = ids.Count - ids.Distinct().Count();

            Assert.Equal(Processes * IdsPerProcess, ids.Count);
            Assert.All(ids, id => Assert.Equal(Shard, ScalegramId.ShardOf(id)));
            Assert.True(duplicates == 0, $"{duplicates} of {ids.Count} IDs were minted twice");
        }
        finally
        {
            foreach (var minter in minters)
            {
                await minter.DisposeAsync();
            }

            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
