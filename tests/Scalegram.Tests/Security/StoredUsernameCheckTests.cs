using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Accounts;
using Scalegram.Data;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Security;

/// <summary>Finding 2: names stored while `$` let a final newline through are found (and logged) at start-up.</summary>
public class StoredUsernameCheckTests : ApiTestBase
{
    [Fact]
    public async Task Stored_names_the_old_pattern_let_through_are_reported_and_good_ones_are_not()
    {
        using var _ = await ApiClient.SignedInAsync(Server, "good_name");
        await using (var directory = await Server.Services.GetRequiredService<Database>().Directory.Primary.OpenAsync(CancellationToken.None))
        {
            await directory.ExecuteAsync("INSERT INTO username_directory (username_key, user_id) VALUES (@key, 42)", new { key = "old_alice\n" });
        }

        var bad = await Server.Services.GetRequiredService<StoredUsernameCheck>().FindAsync(CancellationToken.None);
        Assert.Equal([("old_alice\n", 42L)], bad);
    }
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class StoredUsernameCheckTestsOnPostgres : StoredUsernameCheckTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
