using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Scalegram.Data.Migrations;

/// <summary>
/// Applies the versioned SQL scripts embedded in the app to every physical store. Each store
/// records what it has applied; concurrent runs from several nodes serialise on a write lock.
/// </summary>
internal sealed class Migrator(Database database, ILogger<Migrator> logger)
{
    public async Task<int> MigrateAllAsync(CancellationToken ct = default)
    {
        var applied = 0;
        foreach (var store in database.Stores)
        {
            applied += await MigrateAsync(store, ct);
        }

        return applied;
    }

    /// <summary>
    /// The scripts for an engine, by version: Migrations/NNN_name.sql is written once for both engines;
    /// Migrations/{Engine}/NNN_name.sql exists only where the SQL really differs, and then replaces it.
    /// </summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> ScriptsFor(SqlDialect dialect)
    {
        var assembly = typeof(Migrator).Assembly;
        const string shared = "Migrations/";
        var own = $"Migrations/{dialect.Engine}/";
        var scripts = new SortedDictionary<int, (string Name, string Sql, bool Own)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var isOwn = resource.StartsWith(own, StringComparison.Ordinal);
            var isShared = resource.StartsWith(shared, StringComparison.Ordinal) && resource.IndexOf('/', shared.Length) < 0;
            if (!isOwn && !isShared)
            {
                continue;
            }

            var name = resource[(isOwn ? own : shared).Length..^4];
            var version = int.Parse(name[..name.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
            if (scripts.TryGetValue(version, out var existing) && (existing.Own || !isOwn))
            {
                if (existing.Own == isOwn)
                {
                    throw new InvalidOperationException($"Two migrations share version {version}: {existing.Name} and {name}.");
                }

                continue;
            }

            scripts[version] = (name, dialect.Migration(Read(assembly, resource)), isOwn);
        }

        return [.. scripts.Select(s => (s.Key, s.Value.Name, s.Value.Sql))];
    }

    private async Task<int> MigrateAsync(PhysicalStore store, CancellationToken ct)
    {
        await using var connection = await store.Primary.OpenAsync(ct);
        var count = 0;
        foreach (var (version, name, sql) in ScriptsFor(store.Dialect))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            if (store.Dialect.MigrationLock is { } takeLock)
            {
                // One migrator per store at a time, whichever node runs it.
                await connection.ExecuteAsync(new CommandDefinition(takeLock, transaction: tx, cancellationToken: ct));
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                transaction: tx,
                cancellationToken: ct));
            var done = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, tx, cancellationToken: ct));
            if (done == 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                    new { version, name, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, tx, cancellationToken: ct));
                Log.MigrationApplied(logger, name, store.Name);
                count++;
            }

            await tx.CommitAsync(ct);
        }

        return count;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
