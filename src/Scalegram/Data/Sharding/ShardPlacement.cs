using System.Globalization;
using System.Text;
using Dapper;
using Scalegram.Data.Ids;

namespace Scalegram.Data.Sharding;

/// <summary>
/// Keeps the shard placement in the data itself (each store's shard_map lists the logical shards it owns).
/// The first start records the configured placement; every later start checks the configuration still
/// places every shard where its rows are, and refuses to start otherwise: placement is computed from the
/// store list, so a changed list would silently send users to a store that does not hold them.
/// </summary>
internal static class ShardPlacement
{
    private const int RowsPerInsert = 512;

    /// <summary>Records the placement on a store set that has none; throws, naming the setting, when the configuration disagrees with the recorded one.</summary>
    public static async Task VerifyOrRecordAsync(Database database, DataEngine engine, CancellationToken ct)
    {
        var recorded = await ReadAsync(database, ct);

        // Store 0 is written last, so rows there mean the record is complete; none means a first start
        // (or one that stopped part-way), and recording again is harmless: rows already there stay.
        if (recorded[0].Count == 0)
        {
            await RecordAsync(database, ct);

            // Two nodes may record at once; whichever won, check what is there now.
            recorded = await ReadAsync(database, ct);
        }

        if (Disagreement(database, recorded) is { } problem)
        {
            var key = engine == DataEngine.Postgres ? "Data:Postgres:Stores" : "Data:SqliteStores";
            throw new InvalidOperationException(
                $"{key} does not match the shard placement recorded in the data: {problem}. Starting would hide the users on the " +
                $"shards that moved. Set {key} back to the store list the data was written with ({RecordedStoreCount(recorded)} store(s), in the same order); " +
                "changing it needs a resharding step that moves those shards' rows first.");
        }
    }

    private static async Task<List<Dictionary<int, string>>> ReadAsync(Database database, CancellationToken ct)
    {
        var result = new List<Dictionary<int, string>>(database.Stores.Count);
        foreach (var store in database.Stores)
        {
            await using var connection = await store.Primary.OpenAsync(ct);
            var rows = await connection.QueryAsync<(long Shard, string Store)>(new CommandDefinition(
                "SELECT logical_shard, store FROM shard_map", cancellationToken: ct));
            result.Add(rows.ToDictionary(r => (int)r.Shard, r => r.Store));
        }

        return result;
    }

    private static async Task RecordAsync(Database database, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var index = database.Stores.Count - 1; index >= 0; index--)
        {
            var store = database.Stores[index];
            var owned = Enumerable.Range(0, ScalegramId.LogicalShardCount).Where(s => database.Map.StoreOf(s) == index).ToList();
            await using var connection = await store.Primary.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            foreach (var chunk in owned.Chunk(RowsPerInsert))
            {
                // Literal integers only (shard numbers, a timestamp) plus the store name as a parameter.
                var values = new StringBuilder();
                foreach (var shard in chunk)
                {
                    values.Append(values.Length == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"({shard}, @store, {now})");
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    $"INSERT INTO shard_map (logical_shard, store, recorded_at) VALUES {values} ON CONFLICT (logical_shard) DO NOTHING",
                    new { store = store.Name },
                    tx,
                    cancellationToken: ct));
            }

            await tx.CommitAsync(ct);
        }
    }

    /// <summary>What differs between the recorded and the configured placement, or null when they agree.</summary>
    internal static string? Disagreement(Database database, IReadOnlyList<IReadOnlyDictionary<int, string>> recorded)
    {
        var moved = 0;
        string? example = null;
        for (var shard = 0; shard < ScalegramId.LogicalShardCount; shard++)
        {
            var configured = database.Map.StoreOf(shard);
            var holders = Enumerable.Range(0, recorded.Count).Where(i => recorded[i].ContainsKey(shard)).ToList();
            var agrees = holders.Count == 1 && holders[0] == configured && recorded[configured][shard] == database.Stores[configured].Name;
            if (!agrees)
            {
                moved++;
                example ??= holders.Count == 0
                    ? $"logical shard {shard} is recorded on none of the {recorded.Count} configured store(s)"
                    : $"logical shard {shard} is held by {string.Join(", ", holders.Select(h => $"store {h} (recorded as {recorded[h][shard]})"))} but the configuration places it on {database.Stores[configured].Name}";
            }
        }

        return moved == 0 ? null : $"{moved} of {ScalegramId.LogicalShardCount} logical shards would move ({example})";
    }

    private static string RecordedStoreCount(IReadOnlyList<IReadOnlyDictionary<int, string>> recorded)
    {
        var names = recorded.SelectMany(r => r.Values).Distinct(StringComparer.Ordinal).Count();
        return names.ToString(CultureInfo.InvariantCulture);
    }
}
