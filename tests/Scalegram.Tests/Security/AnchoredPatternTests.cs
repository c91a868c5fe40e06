using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Accounts;
using Scalegram.Data;
using Scalegram.Storage;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Security;

/// <summary>Finding 2: patterns end at the end of the text (\z), not before a final newline as `$` does.</summary>
public sealed class AnchoredPatternTests
{
    [Theory]
    [InlineData("alice\n")]
    [InlineData("alice\r\n")]
    public void A_username_ending_in_a_newline_is_invalid(string name) => Assert.False(Username.TryValidate(name, out _));

    [Fact]
    public void A_blob_key_ending_in_a_newline_is_invalid()
    {
        Assert.True(BlobKey.IsValid("originals/1-abc.jpg"));
        Assert.False(BlobKey.IsValid("originals/1-abc.jpg\n"));
    }

    [Fact]
    public async Task Signing_up_as_a_name_with_a_final_newline_is_a_400_and_creates_nothing()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        var response = await client.PostAsJsonAsync("/api/accounts", new { username = "nl_alice\n", password = ApiClient.Password });
        await ApiClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-username");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/users/nl_alice")).StatusCode);
    }

    [Fact]
    public async Task Stored_names_the_old_pattern_let_through_are_reported_and_good_ones_are_not()
    {
        await using var server = await TestServer.StartAsync();
        using var _ = await ApiClient.SignedInAsync(server, "good_name");
        await using (var directory = await server.Services.GetRequiredService<Database>().Directory.Primary.OpenAsync(CancellationToken.None))
        {
            await directory.ExecuteAsync("INSERT INTO username_directory (username_key, user_id) VALUES (@key, 42)", new { key = "old_alice\n" });
        }

        var bad = await server.Services.GetRequiredService<StoredUsernameCheck>().FindAsync(CancellationToken.None);
        Assert.Equal([("old_alice\n", 42L)], bad);
    }
}
