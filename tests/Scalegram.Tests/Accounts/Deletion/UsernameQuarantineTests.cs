using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Scalegram.Accounts;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Accounts.Deletion;

/// <summary>A deleted account's username stays reserved for Accounts:UsernameQuarantine, then is free again.</summary>
public class UsernameQuarantineTests : ApiTestBase
{
    protected override string[] Settings => ["--Accounts:UsernameQuarantine=7.00:00:00"];

    [Fact]
    public async Task The_name_of_a_deleted_account_is_refused_with_409_until_the_quarantine_ends_then_it_is_free()
    {
        var name = ApiClient.NewName("q");
        using (var owner = await ApiClient.SignedInAsync(Server, name))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await DeletionWorld.DeleteAccountAsync(owner, ApiClient.Password)).StatusCode);
        }

        using var anonymous = Server.CreateClient();
        var problem = await ApiClient.AssertProblemAsync(
            await anonymous.PostAsJsonAsync("/api/accounts", new { username = name.ToUpperInvariant(), password = ApiClient.Password }),
            HttpStatusCode.Conflict,
            "username-quarantined");
        Assert.Contains("deleted account", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/users/{name}")).StatusCode);

        // The same sign-up by a clock six days on is still refused; one eight days on gets the name.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(6));
        var accounts = ActivatorUtilities.CreateInstance<AccountService>(Server.Services, (TimeProvider)time);
        Assert.Equal(SignUpResult.QuarantinedCode, (await accounts.SignUpAsync(name, ApiClient.Password, null, CancellationToken.None)).ErrorCode);
        time.Advance(TimeSpan.FromDays(2));
        var reborn = await accounts.SignUpAsync(name, ApiClient.Password, "Reborn", CancellationToken.None);
        Assert.NotNull(reborn.User);

        // The new account is the name's owner now: it signs in and its profile shows.
        var token = await ApiClient.TokenAsync(anonymous, name);
        using var again = Server.CreateClient(token);
        Assert.Equal(reborn.User.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), (await again.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/me")).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/users/{name}")).StatusCode);
        await ApiClient.AssertProblemAsync(
            await anonymous.PostAsJsonAsync("/api/accounts", new { username = name, password = ApiClient.Password }), HttpStatusCode.Conflict, "username-taken");
    }

    [Fact]
    public async Task A_live_accounts_name_is_taken_not_quarantined()
    {
        var name = ApiClient.NewName("t");
        using var owner = await ApiClient.SignedInAsync(Server, name);
        using var anonymous = Server.CreateClient();
        await ApiClient.AssertProblemAsync(
            await anonymous.PostAsJsonAsync("/api/accounts", new { username = name, password = ApiClient.Password }), HttpStatusCode.Conflict, "username-taken");
    }

    [Theory]
    [InlineData("-1.00:00:00")]
    [InlineData("4000.00:00:00")]
    [InlineData("soon")]
    public async Task A_bad_quarantine_setting_fails_at_start_naming_the_key(string value)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => StartServerAsync($"--Accounts:UsernameQuarantine={value}"));
        Assert.Contains("Accounts:UsernameQuarantine", e.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class UsernameQuarantineTestsOnPostgres : UsernameQuarantineTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
