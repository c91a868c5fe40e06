namespace Scalegram.Data;

/// <summary>
/// The few pieces of SQL that differ between the engines, in one place; everything else is written
/// once. Each physical store carries the dialect of its engine.
/// </summary>
internal sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(DataEngine.Sqlite);
    public static readonly SqlDialect Postgres = new(DataEngine.Postgres);

    private SqlDialect(DataEngine engine) => Engine = engine;

    public DataEngine Engine { get; }

    /// <summary>
    /// "column matches any ID in the list": Dapper binds a list as one array parameter on PostgreSQL
    /// (so = ANY) and expands it into a list on SQLite (so IN).
    /// </summary>
    public string MatchesAny(string parameter) => Engine == DataEngine.Postgres ? $"= ANY({parameter})" : $"IN {parameter}";

    /// <summary>Row locks that let concurrent claimers pass each other; SQLite serialises writers anyway.</summary>
    public string ForUpdateSkipLocked => Engine == DataEngine.Postgres ? "FOR UPDATE SKIP LOCKED" : "";

    /// <summary>
    /// The database server's clock in Unix milliseconds, for leases: every node judges expiry by the
    /// same clock (on SQLite the clock of the one machine whose processes share the file).
    /// </summary>
    public string NowMillis => Engine == DataEngine.Postgres
        ? "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
        : "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";

    /// <summary>Serialises migrators across nodes inside the migration transaction (SQLite's write lock already does).</summary>
    public string? MigrationLock => Engine == DataEngine.Postgres ? "SELECT pg_advisory_xact_lock(7261001)" : null;

    /// <summary>
    /// A shared migration in this engine's spelling. SQLite makes a column the rowid (no second index)
    /// only when it is declared exactly INTEGER PRIMARY KEY; both engines read every other type as written.
    /// </summary>
    public string Migration(string sql) => Engine == DataEngine.Sqlite ? sql.Replace("BIGINT PRIMARY KEY", "INTEGER PRIMARY KEY", StringComparison.Ordinal) : sql;

    public override string ToString() => Engine.ToString();
}
