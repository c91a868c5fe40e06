using System.Text;
using RabbitMQ.Client;
using Scalegram.Messaging;
using Scalegram.Messaging.RabbitMq;

namespace Scalegram.Tests.Messaging;

/// <summary>The AMQP shape of a job: web and worker nodes deploy at different times, so it must read back exactly.</summary>
public sealed class JobMessageTests
{
    private static readonly Job Sample = new(502580823469982783, "photos", "photo.process", "{\"photoId\":502580823109272638}", 0, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "store0");

    [Fact]
    public void A_published_job_reads_back_with_its_id_type_payload_store_and_trace()
    {
        var properties = JobMessage.Properties(Sample, attempt: 2);
        var read = JobMessage.Read("photos", AsDelivered(properties), JobMessage.Body(Sample));
        Assert.Equal(Sample with { Attempts = 2 }, read);
        Assert.Equal("502580823469982783", properties.MessageId);
        Assert.Equal("photo.process", properties.Type);
        Assert.True(properties.Persistent);
    }

    [Fact]
    public void Redeliveries_count_as_attempts()
    {
        var properties = AsDelivered(JobMessage.Properties(Sample, attempt: 1));
        properties.Headers!["x-delivery-count"] = 2L; // the broker's count: two workers died holding it
        Assert.Equal(3, JobMessage.Read("photos", properties, JobMessage.Body(Sample)).Attempts);
    }

    /// <summary>What the broker hands back: string headers arrive as UTF-8 bytes.</summary>
    private static BasicProperties AsDelivered(BasicProperties sent) => new()
    {
        MessageId = sent.MessageId,
        Type = sent.Type,
        Headers = sent.Headers!.ToDictionary(h => h.Key, h => h.Value is string s ? (object?)Encoding.UTF8.GetBytes(s) : h.Value),
    };
}
