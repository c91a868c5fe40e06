using Microsoft.Extensions.Options;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Caching;

/// <summary>Engine settings are checked at start-up, with messages naming the missing key.</summary>
public sealed class EngineSettingsTests
{
    [Fact]
    public async Task Redis_engine_without_a_configuration_fails_at_start_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(settings: ["--Caching:Engine=Redis"]));
        Assert.Contains("Redis:Configuration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_engine_without_a_store_fails_at_start_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(settings: ["--Data:Engine=Postgres"]));
        Assert.Contains("Data:Postgres:Stores:0:Primary", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Caching:L1SizeLimit=5", "Caching:L1SizeLimit")]
    [InlineData("--Caching:EagerRefreshThreshold=0.2", "Caching:EagerRefreshThreshold")]
    [InlineData("--Caching:FailSafeMaxDuration=00:00:10", "Caching:FailSafeMaxDuration")]
    [InlineData("--Caching:Jitter=02:00:00", "Caching:Jitter")]
    [InlineData("--Caching:CounterFlushInterval=00:00:00.001", "Caching:CounterFlushInterval")]
    public async Task A_wrong_cache_setting_fails_at_start_naming_the_key(string setting, string key)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(settings: [setting]));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
