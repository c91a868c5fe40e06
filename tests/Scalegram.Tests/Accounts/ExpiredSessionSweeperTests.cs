using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Scalegram.Accounts;
using Scalegram.Data;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Accounts;

/// <summary>The sweep deletes sessions that ended over a day ago and nothing else; a deleted session stays invalid.</summary>
public sealed class ExpiredSessionSweeperTests
{
    [Fact]
    public async Task Ended_sessions_go_and_live_ones_stay()
    {
        await using var server = await TestServer.StartAsync(NodeRole.Web);
        var db = server.Services.GetRequiredService<Database>();
        var sessions = server.Services.GetRequiredService<SessionStore>();
        var time = server.Services.GetRequiredService<TimeProvider>();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        const long Day = 24 * 60 * 60 * 1000;

        var (live, _) = await sessions.CreateAsync(1, CancellationToken.None);
        var (revokedToday, _) = await sessions.CreateAsync(2, CancellationToken.None);
        await sessions.RevokeAsync(revokedToday, CancellationToken.None);
        await using (var connection = await db.Directory.Primary.OpenAsync())
        {
            // Rows as an older node would have left them: expired two days ago, and revoked two days ago.
            await connection.ExecuteAsync(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, revoked_at) VALUES ('expired', 3, @old, @old, NULL), ('revoked', 4, @old, @later, @old)",
                new { old = now - 2 * Day, later = now + Day });
        }

        var deleted = await new ExpiredSessionSweeper(sessions, time, NullLogger<ExpiredSessionSweeper>.Instance).SweepAsync(CancellationToken.None);

        Assert.Equal(2, deleted);
        await using var check = await db.Directory.Primary.OpenAsync();
        var left = (await check.QueryAsync<long>("SELECT user_id FROM sessions ORDER BY user_id")).ToList();
        Assert.Equal([1L, 2L], left);
        Assert.Equal(1, await sessions.ValidateAsync(live, CancellationToken.None));
        Assert.Null(await sessions.ValidateAsync(revokedToday, CancellationToken.None));
    }
}
