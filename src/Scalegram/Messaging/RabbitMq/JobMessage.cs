using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace Scalegram.Messaging.RabbitMq;

/// <summary>
/// A job as an AMQP message: the JSON payload as the body, the job type as the message type,
/// the job ID as the message ID, and attempt, store and trace parent as headers. Stable: web and
/// worker nodes deploy at different times.
/// </summary>
internal static class JobMessage
{
    public const string AttemptHeader = "scalegram-attempt";
    public const string StoreHeader = "scalegram-store";
    public const string TraceHeader = "traceparent";
    public const string ErrorHeader = "scalegram-error";

    /// <summary>Properties for publishing <paramref name="job"/> as its attempt number <paramref name="attempt"/>.</summary>
    public static BasicProperties Properties(Job job, int attempt, string? error = null)
    {
        var headers = new Dictionary<string, object?>
        {
            [AttemptHeader] = attempt,
            [StoreHeader] = job.Store,
        };
        if (job.TraceParent is not null)
        {
            headers[TraceHeader] = job.TraceParent;
        }

        if (error is not null)
        {
            headers[ErrorHeader] = error.Length > 1000 ? error[..1000] : error;
        }

        return new BasicProperties
        {
            MessageId = job.Id.ToString(CultureInfo.InvariantCulture),
            Type = job.Type,
            ContentType = "application/json",
            Persistent = true,
            Headers = headers,
        };
    }

    public static ReadOnlyMemory<byte> Body(Job job) => Encoding.UTF8.GetBytes(job.Payload);

    /// <summary>
    /// Reads a delivery back into a job. Attempts count our own retries (the header) plus
    /// RabbitMQ's redeliveries (x-delivery-count: the worker died or lost its channel mid-job).
    /// </summary>
    public static Job Read(string queue, IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        var headers = properties.Headers;
        var attempt = Number(headers, AttemptHeader) ?? 1;
        var redeliveries = Number(headers, "x-delivery-count") ?? 0;
        long.TryParse(properties.MessageId, NumberStyles.None, CultureInfo.InvariantCulture, out var id);
        return new Job(
            id,
            queue,
            properties.Type ?? "",
            Encoding.UTF8.GetString(body.Span),
            (int)Math.Min(int.MaxValue, attempt + redeliveries),
            Text(headers, TraceHeader),
            Text(headers, StoreHeader) ?? "");
    }

    public static string? Text(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            string s => s,
            null => null,
            var other => Convert.ToString(other, CultureInfo.InvariantCulture),
        }
        : null;

    private static long? Number(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) ? value switch
        {
            int i => i,
            long l => l,
            short s => s,
            byte b => b,
            byte[] bytes when long.TryParse(Encoding.UTF8.GetString(bytes), CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        }
        : null;
}
