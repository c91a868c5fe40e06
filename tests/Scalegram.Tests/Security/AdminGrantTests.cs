using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Security;

/// <summary>Finding 5: Web:Admins lists account IDs an operator confirmed; a name listed there grants nothing to whoever signs up with it.</summary>
public sealed class AdminGrantTests
{
    [Fact]
    public async Task A_name_in_Web_Admins_is_refused_at_start_up_naming_the_key()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(settings: "--Web:Admins=Boss_Claim"));
        Assert.Contains("Web:Admins", e.Message);
    }

    [Fact]
    public async Task An_account_ID_in_Web_Admins_is_granted_at_start_up()
    {
        var dir = Path.Combine(Path.GetTempPath(), "scalegram-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            string id;
            await using (var first = await TestServer.StartAsync(dataDir: dir))
            {
                using var user = await ApiClient.SignedInAsync(first, "early_admin");
                id = (await user.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString()!;
            }

            await using var second = await TestServer.StartAsync(dataDir: dir, settings: $"--Web:Admins={id}, 123456789");
            using var client = second.CreateClient(await ApiClient.TokenAsync(second.CreateClient(), "early_admin"));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while ((await client.GetAsync("/ops")).StatusCode != HttpStatusCode.OK)
            {
                Assert.True(DateTime.UtcNow < deadline, $"account {id} listed in Web:Admins never became an administrator");
                await Task.Delay(50);
            }

            Assert.True((await client.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("isAdmin").GetBoolean());
            Assert.True(long.Parse(id, CultureInfo.InvariantCulture) > 0);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
