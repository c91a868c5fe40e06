using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Data;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;
using Scalegram.Web;

namespace Scalegram.Tests.Caching;

/// <summary>Data Protection keys live in the database, not Redis: what a node protected before a Redis restart still verifies after it, on a node started afterwards.</summary>
[Collection(HeavyCollection.Name)]
public sealed class DataProtectionKeysTests
{
    [Fact]
    public async Task An_antiforgery_token_issued_before_a_Redis_restart_is_accepted_by_a_node_started_after_it()
    {
        var redis = await RedisServer.StartAsync();
        try
        {
            var connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("dpkeys");
            string[] settings = [.. TestEngines.PostgresSettings(connectionString), .. TestEngines.RedisSettings(redis)];

            string cookies;
            string token;
            await using (var before = await TestServer.StartAsync(settings: settings))
            {
                using var signup = before.CreateClient();
                await signup.PostAsJsonAsync("/api/accounts", new { username = "keeper", password = ApiClient.Password });
                var session = await signup.PostAsJsonAsync("/api/sessions", new { username = "keeper", password = ApiClient.Password });
                using var csrfRequest = new HttpRequestMessage(HttpMethod.Get, "/api/csrf");
                csrfRequest.Headers.Add("Cookie", CookieFrom(session, SessionAuthentication.CookieName));
                var csrf = await signup.SendAsync(csrfRequest);
                Assert.Equal(HttpStatusCode.OK, csrf.StatusCode);
                token = (await csrf.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
                cookies = $"{CookieFrom(session, SessionAuthentication.CookieName)}; {CookieFrom(csrf, "sg_csrf")}";

                var db = before.Services.GetRequiredService<Database>();
                await using var connection = await db.Directory.Primary.OpenAsync();
                Assert.True(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM data_protection_keys") >= 1, "the key ring should be in the directory store");
            }

            // Redis loses everything (it keeps nothing on disk), then a fresh node reads the key ring.
            await redis.RestartAsync();
            await using var after = await TestServer.StartAsync(settings: settings);
            using var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/me") { Content = JsonContent.Create(new { displayName = "Still me" }) };
            patch.Headers.Add("Cookie", cookies);
            patch.Headers.Add(CsrfProtection.HeaderName, token);

            Assert.Equal(HttpStatusCode.OK, (await after.CreateClient().SendAsync(patch)).StatusCode);
        }
        finally
        {
            redis.Stop();
        }
    }

    private static string CookieFrom(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(name + "=", StringComparison.Ordinal));
}
