using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Accounts;
using Scalegram.Data;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Security;

/// <summary>Finding 3: new hashes are PBKDF2-HMAC-SHA512 with 210,000 iterations in a self-describing format; old ones are upgraded at sign-in.</summary>
public class PasswordHashTests : ApiTestBase
{
    private const string Prefix = "$pbkdf2-sha512$i=210000$";

    [Fact]
    public async Task A_new_account_gets_a_self_describing_210000_iteration_hash()
    {
        var name = ApiClient.NewName("h");
        using var _ = await ApiClient.SignedInAsync(Server, name);
        Assert.StartsWith(Prefix, await StoredHashAsync(name));
    }

    [Fact]
    public async Task A_legacy_100000_iteration_hash_signs_in_and_is_replaced_by_the_new_format()
    {
        var name = ApiClient.NewName("h");
        using var _ = await ApiClient.SignedInAsync(Server, name);
        var legacy = new PasswordHasher<object>().HashPassword(new object(), ApiClient.Password);
        await SetStoredHashAsync(name, legacy);
        Assert.Equal(legacy, await StoredHashAsync(name));

        using var client = Server.CreateClient();
        await ApiClient.TokenAsync(client, name);
        var upgraded = await StoredHashAsync(name);
        Assert.StartsWith(Prefix, upgraded);

        // The upgraded hash verifies the same password, and only it.
        await ApiClient.TokenAsync(client, name);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/sessions", new { username = name, password = "not-the-password" })).StatusCode);
        Assert.Equal(upgraded, await StoredHashAsync(name));
    }

    private async Task<long> IdAsync(string name) =>
        (await Server.Services.GetRequiredService<AccountStore>().FindIdAsync(name, CancellationToken.None, fromPrimary: true))!.Value;

    private async Task<string> StoredHashAsync(string name) =>
        (await Server.Services.GetRequiredService<AccountStore>().GetAsync(await IdAsync(name), CancellationToken.None, fromPrimary: true))!.PasswordHash;

    private async Task SetStoredHashAsync(string name, string hash)
    {
        var id = await IdAsync(name);
        await using var connection = await Server.Services.GetRequiredService<Database>().ForId(id).Primary.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("UPDATE users SET password_hash = @hash WHERE id = @id", new { hash, id });
    }
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class PasswordHashTestsOnPostgres : PasswordHashTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
