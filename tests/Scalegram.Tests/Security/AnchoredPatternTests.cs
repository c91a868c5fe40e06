using System.Net;
using System.Net.Http.Json;
using Scalegram.Accounts;
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
}
