using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Scalegram.Data.Migrations;

/// <summary>
/// Applies the versioned SQL scripts embedded in the app to every physical store. Each store
/// records what it has applied; concurrent runs from several nodes serialise on a write lock.
/// </summary>
public sealed class Migrator(Database database, ILogger<Migrator> logger)
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

    public static IReadOnlyList<(int Version, string Name, string Sql)> ScriptsFor(string engine)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"Migrations/{(engine == "postgres" ? "Postgres" : "Sqlite")}/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[prefix.Length..^4];
                var version = int.Parse(name[..name.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
                return (version, name, Read(assembly, n));
            })
            .OrderBy(s => s.version)
            .ToList();
    }

    private async Task<int> MigrateAsync(PhysicalStore store, CancellationToken ct)
    {
        await using var connection = await store.Primary.OpenAsync(ct);
        var count = 0;
        foreach (var (version, name, sql) in ScriptsFor(store.Engine))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            if (store.Engine == "postgres")
            {
                // One migrator per store at a time, whichever node runs it.
                await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(7261001)", transaction: tx);
            }

            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                transaction: tx);
            var done = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, tx);
            if (done == 0)
            {
                await connection.ExecuteAsync(sql, transaction: tx);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                    new { version, name, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, tx);
                logger.LogInformation("Applied migration {Migration} to {Store}", name, store.Name);
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
