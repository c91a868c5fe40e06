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
}
