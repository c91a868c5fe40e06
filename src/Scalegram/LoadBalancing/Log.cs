namespace Scalegram.LoadBalancing;

/// <summary>Log messages of the load balancer: event IDs 3000-3099 (the ranges are listed on Scalegram.Data.Log).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Retrying {Method} {Path}: {Destination} failed before answering ({Error}); {Others} other node(s) available")]
    public static partial void Retrying(ILogger logger, string method, PathString path, string destination, string error, int others);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "No healthy web node for {Method} {Path}; answered 503")]
    public static partial void NoHealthyNode(ILogger logger, string method, PathString path);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "{Method} {Path} failed on {Destination} ({Error}) and was not retried: {Reason}")]
    public static partial void NotRetried(ILogger logger, string method, PathString path, string destination, string error, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Load balancing over {Count} web node(s) with {Policy}: {Destinations}; inline I/O: Kestrel {InlineScheduling}, socket completions {InlineCompletions}")]
    public static partial void Started(ILogger logger, int count, LoadBalancingPolicy policy, string destinations, bool inlineScheduling, bool inlineCompletions);
}
