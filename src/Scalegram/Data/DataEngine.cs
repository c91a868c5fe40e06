namespace Scalegram.Data;

/// <summary>Which database engine the stores run on (Data:Engine).</summary>
internal enum DataEngine
{
    /// <summary>Embedded: SQLite files under Data:Directory.</summary>
    Sqlite,

    /// <summary>PostgreSQL servers named by Data:Postgres:Stores.</summary>
    Postgres,
}
