using System.ComponentModel.DataAnnotations;

namespace Scalegram.Messaging.RabbitMq;

/// <summary>The RabbitMQ transport's settings (section "Messaging:RabbitMq"), used when Messaging:Engine is RabbitMq.</summary>
internal sealed class RabbitMqOptions
{
    public const string Section = "Messaging:RabbitMq";

    /// <summary>The broker, e.g. amqp://guest:guest@127.0.0.1:5672/ (several nodes: comma-separated URIs).</summary>
    public string? Uri { get; set; }

    /// <summary>
    /// Messages a worker holds unacknowledged per queue (the prefetch limit); unset means the queue's concurrency,
    /// so a busy worker never sits on messages another worker could run.
    /// </summary>
    [Range(1, 1000, ErrorMessage = "Messaging:RabbitMq:Prefetch must be between 1 and 1000.")]
    public ushort? Prefetch { get; set; }

    /// <summary>Prefix of every queue name: {prefix}.{queue}, {prefix}.{queue}.retry.{ms}, {prefix}.{queue}.dead.</summary>
    [RegularExpression(@"\A[a-z][a-z0-9-]{0,30}\z", ErrorMessage = "Messaging:RabbitMq:QueuePrefix must be lowercase letters, digits or '-'.")]
    public string QueuePrefix { get; set; } = "scalegram";

    /// <summary>Outbox rows the relay claims and publishes at once.</summary>
    [Range(1, 1000, ErrorMessage = "Messaging:RabbitMq:RelayBatchSize must be between 1 and 1000.")]
    public int RelayBatchSize { get; set; } = 100;

    /// <summary>How long published outbox rows are kept (for audits) before the relay deletes them.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00", ErrorMessage = "Messaging:RabbitMq:PublishedRetention must be between 0 and 30 days.")]
    public TimeSpan PublishedRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Wait between reconnection attempts while the broker is unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "Messaging:RabbitMq:ReconnectInterval must be between 100 ms and 5 min.")]
    public TimeSpan ReconnectInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a publish waits for the broker's confirm before it counts as failed (and is retried).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "Messaging:RabbitMq:PublishTimeout must be between 100 ms and 5 min.")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks the URI list; returns a message naming the key, or null when it is usable.</summary>
    public string? UriProblem()
    {
        if (string.IsNullOrWhiteSpace(Uri))
        {
            return "Messaging:RabbitMq:Uri is required when Messaging:Engine is RabbitMq (e.g. amqp://guest:guest@127.0.0.1:5672/).";
        }

        foreach (var part in Uri.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!System.Uri.TryCreate(part, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
            {
                return $"Messaging:RabbitMq:Uri must be amqp:// or amqps:// URIs (got '{part}').";
            }
        }

        return null;
    }

    public IReadOnlyList<System.Uri> Uris() =>
        Uri!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(u => new System.Uri(u)).ToList();
}
