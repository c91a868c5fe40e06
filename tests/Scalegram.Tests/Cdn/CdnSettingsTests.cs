using Microsoft.Extensions.Options;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Cdn;

/// <summary>A wrong CDN setting stops the node at start, naming its key.</summary>
public sealed class CdnSettingsTests
{
    [Theory]
    [InlineData("--Cdn:BaseUrl=edge.example.com", "Cdn:BaseUrl")]
    [InlineData("--Cdn:BaseUrl=ftp://127.0.0.1:18201", "Cdn:BaseUrl")]
    [InlineData("--Cdn:PurgeUrls:0=not a url", "Cdn:PurgeUrls:0")]
    [InlineData("--Cdn:HealthPath=healthz", "Cdn:HealthPath")]
    [InlineData("--Cdn:HealthInterval=00:00:00", "Cdn:HealthInterval")]
    [InlineData("--Cdn:HealthFailures=0", "Cdn:HealthFailures")]
    [InlineData("--Cdn:PurgeTimeout=00:00:00", "Cdn:PurgeTimeout")]
    [InlineData("--Cdn:VarnishStatDirectories:0=relative/dir", "Cdn:VarnishStatDirectories:0")]
    [InlineData("--Cdn:SigningKey=too-short", "Cdn:SigningKey")]
    [InlineData("--Cdn:SigningKey=c2hvcnQ=", "Cdn:SigningKey")]
    [InlineData("--Cdn:SignedUrlLifetime=00:00:01", "Cdn:SignedUrlLifetime")]
    public async Task A_wrong_setting_stops_the_start_naming_its_key(string setting, string key)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(settings: setting));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
