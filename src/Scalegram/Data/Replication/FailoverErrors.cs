using System.Net.Sockets;
using Npgsql;

namespace Scalegram.Data.Replication;

/// <summary>
/// Recognises the errors a database failover (or a node dying) produces, as opposed to bugs or bad data:
/// reads retry them on another node, and the web tier answers 503 with Retry-After instead of 500.
/// </summary>
internal static class FailoverErrors
{
    /// <summary>SQLSTATEs seen while a primary goes away or a standby is promoted or demoted.</summary>
    private static readonly HashSet<string> Codes =
    [
        "25006", // read_only_sql_transaction: wrote to a node that is (now) a standby
        "57P01", // admin_shutdown
        "57P02", // crash_shutdown
        "57P03", // cannot_connect_now: starting up, shutting down, or in recovery without hot standby
        "53300", // too_many_connections: clients piling onto a new primary
        "40001", // serialization_failure: on a standby, a query cancelled by a conflict with recovery
    ];

    /// <summary>
    /// True when a standby cannot answer a read the primary can: it has not replayed a migration yet
    /// (undefined table or column) or a database created a moment ago. The read is retried on the primary.
    /// </summary>
    public static bool IsBehindOnSchema(Exception exception) =>
        exception is PostgresException { SqlState: "42P01" or "42703" or "3D000" };

    /// <summary>True for failover-class errors anywhere in the exception chain.</summary>
    public static bool IsFailover(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    return Codes.Contains(pg.SqlState) || pg.SqlState.StartsWith("08", StringComparison.Ordinal);
                case NpgsqlException:
                    // Npgsql's own errors: the connection broke, could not be made, or a command timed out.
                    return true;
                case SocketException or EndOfStreamException:
                    return true;
            }
        }

        return false;
    }
}
