namespace Scalegram.Data;

/// <summary>
/// Log messages of the data tier (Scalegram.Data and its sub-namespaces). Event IDs 1000-1099 belong
/// to this folder; operators filter and alert on them, so an ID never changes or gets reused.
/// Ranges: Data 1000, Accounts 1100, Caching 1200, Messaging 1300, Messaging.RabbitMq 1400,
/// Storage 1500, Web 1600, Workers 1700, Ops 1800, Bench 1900, Cli 2000, Observability 2100,
/// Photos 2200, Social 2300, Feed 2400, Imaging 2500, Jobs 2600, Cdn 2700, Roles 2800, Ui 2900, LoadBalancing 3000.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applied migration {Migration} to {Store}")]
    public static partial void MigrationApplied(ILogger logger, string migration, string store);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Leased node ID {Node} on {Store} (lease {Lease}, renewed every third)")]
    public static partial void NodeLeaseTaken(ILogger logger, int node, string store, TimeSpan lease);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "All {Nodes} node IDs are held; waiting for one to be released or to expire")]
    public static partial void NodeLeaseWaiting(ILogger logger, int nodes);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Could not renew the lease on node ID {Node}; IDs stop at its fence unless a renewal gets through")]
    public static partial void NodeLeaseRenewFailed(ILogger logger, int node, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "The lease on node ID {Node} was lost to another process; minting stopped, taking a new node ID")]
    public static partial void NodeLeaseLost(ILogger logger, int node);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Released node ID {Node}")]
    public static partial void NodeLeaseReleased(ILogger logger, int node);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Could not release node ID {Node}; it frees itself when the lease expires")]
    public static partial void NodeLeaseReleaseFailed(ILogger logger, int node, Exception exception);
    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "The primary of {Store} changed from {Previous} to {Current} (a failover or switchover); its connection pool was reset")]
    public static partial void PrimaryChanged(ILogger logger, string store, string previous, string current);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Could not ask the primary of {Store} for its WAL position")]
    public static partial void PrimaryCheckFailed(ILogger logger, string store, Exception exception);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Replica {Replica} of {Store} does not answer; it gets no reads until it does")]
    public static partial void NodeCheckFailed(ILogger logger, string store, string replica, Exception exception);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Node {Replica} of {Store} is now {Role} (was {Previous})")]
    public static partial void NodeRoleChanged(ILogger logger, string store, string replica, string previous, string role);
}
