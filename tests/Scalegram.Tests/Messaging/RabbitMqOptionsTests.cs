using Microsoft.Extensions.Options;
using Scalegram.Roles;

namespace Scalegram.Tests.Messaging;

/// <summary>Choosing RabbitMQ without a usable broker URI stops the node at start-up with a message naming the key.</summary>
public sealed class RabbitMqOptionsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("http://127.0.0.1:5672/")]
    public async Task RabbitMq_without_a_valid_uri_refuses_to_start_naming_the_key(string? uri)
    {
        var dir = Path.Combine(Path.GetTempPath(), "scalegram-test-" + Guid.NewGuid().ToString("N"));
        string[] args = ["--urls=http://127.0.0.1:0", $"--Data:Directory={dir}", "--Messaging:Transport=RabbitMq", .. uri is null ? [] : new[] { $"--Messaging:RabbitMq:Uri={uri}" }];
        await using var app = ScalegramApp.Build(args, NodeRole.Web);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Messaging:RabbitMq:Uri", error.Message);
    }

    [Theory]
    [InlineData("Engine")]
    [InlineData("Transport")]
    public void An_unknown_engine_is_refused_at_start_naming_the_key(string key)
    {
        var dir = Path.Combine(Path.GetTempPath(), "scalegram-test-" + Guid.NewGuid().ToString("N"));
        var error = Assert.ThrowsAny<InvalidOperationException>(() => ScalegramApp.Build(["--urls=http://127.0.0.1:0", $"--Data:Directory={dir}", $"--Messaging:{key}=Kafka"], NodeRole.Web));
        Assert.Contains($"Messaging:{key}", error.Message);
    }
}
