using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Scalegram.Accounts;
using Scalegram.Data;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Accounts;

/// <summary>The idle timeout and the once-a-minute last-seen write, on a clock the test moves.</summary>
public class SessionIdleTimeoutTests : ApiTestBase
{
    [Fact]
    public async Task A_session_ends_after_the_idle_timeout_without_use_and_each_use_starts_it_again()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = StoreOn(time, idle: TimeSpan.FromHours(1), lifetime: TimeSpan.FromDays(1));
        var (token, _) = await store.CreateAsync(42, CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(42, await store.ValidateAsync(token, CancellationToken.None)); // used: idle counts from now
        time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(42, await store.ValidateAsync(token, CancellationToken.None));
        time.Advance(TimeSpan.FromMinutes(60) + TimeSpan.FromMilliseconds(1));
        Assert.Null(await store.ValidateAsync(token, CancellationToken.None));
        Assert.Empty(await store.ListAsync(42, token, CancellationToken.None));
        Assert.Equal(0, await store.RevokeAllAsync(0, null, CancellationToken.None));
    }

    [Fact]
    public async Task The_absolute_lifetime_ends_a_session_however_much_it_is_used()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = StoreOn(time, idle: TimeSpan.FromHours(1), lifetime: TimeSpan.FromHours(3));
        var (token, expiresAt) = await store.CreateAsync(43, CancellationToken.None);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromHours(3), expiresAt);
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromMinutes(35));
            Assert.Equal(43, await store.ValidateAsync(token, CancellationToken.None));
        }

        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Null(await store.ValidateAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task Last_seen_is_written_at_most_once_a_minute_per_session()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = StoreOn(time, idle: TimeSpan.FromDays(14), lifetime: TimeSpan.FromDays(30));
        var (token, _) = await store.CreateAsync(44, CancellationToken.None);
        var created = time.GetUtcNow().ToUnixTimeMilliseconds();

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(44, await store.ValidateAsync(token, CancellationToken.None));
        Assert.Equal(created, await LastSeenAsync(token));

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(44, await store.ValidateAsync(token, CancellationToken.None));
        var touched = time.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal(touched, await LastSeenAsync(token));

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(44, await store.ValidateAsync(token, CancellationToken.None));
        Assert.Equal(touched, await LastSeenAsync(token));
    }

    [Fact]
    public async Task A_session_row_without_a_public_ID_from_an_older_node_gets_one_on_first_use()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = StoreOn(time, idle: TimeSpan.FromDays(14), lifetime: TimeSpan.FromDays(30));
        const string Token = "token-written-by-an-older-node-0123456789";
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var connection = await Db.Directory.Primary.OpenAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (@hash, 45, @now, @later)",
                new { hash = SessionStore.Hash(Token), now, later = now + 3_600_000 });
        }

        var session = await store.ResolveAsync(Token, CancellationToken.None);

        Assert.NotNull(session);
        var listed = Assert.Single(await store.ListAsync(45, Token, CancellationToken.None));
        Assert.Equal(session.PublicId, listed.Id);
        Assert.True(listed.Current);
        Assert.Equal(DeviceLabel.Unknown, listed.Device);
        Assert.True(await store.RevokeByIdAsync(45, listed.Id, CancellationToken.None));
        Assert.Null(await store.ResolveAsync(Token, CancellationToken.None));
    }

    [Fact]
    public async Task The_sweep_deletes_a_session_idle_for_a_day_past_the_timeout_and_keeps_the_rest()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = StoreOn(time, idle: TimeSpan.FromHours(1), lifetime: TimeSpan.FromDays(30));
        var (longIdle, _) = await store.CreateAsync(46, CancellationToken.None);
        time.Advance(TimeSpan.FromDays(1));
        var (recentlyIdle, _) = await store.CreateAsync(47, CancellationToken.None);
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var (live, _) = await store.CreateAsync(48, CancellationToken.None);

        await store.DeleteEndedAsync(time.GetUtcNow() - ExpiredSessionSweeper.RevokedKeptFor, 100, CancellationToken.None);

        await using var connection = await Db.Directory.Primary.OpenAsync();
        var left = (await connection.QueryAsync<string>("SELECT token_hash FROM sessions")).ToHashSet();
        Assert.DoesNotContain(SessionStore.Hash(longIdle), left);
        Assert.Contains(SessionStore.Hash(recentlyIdle), left); // idle (refused) but kept a day, like a revoked one
        Assert.Null(await store.ValidateAsync(recentlyIdle, CancellationToken.None));
        Assert.Equal(48, await store.ValidateAsync(live, CancellationToken.None));
    }

    [Fact]
    public async Task An_idle_timeout_longer_than_the_lifetime_fails_the_start_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(NodeRole.Web, null, "--Accounts:SessionIdleTimeout=40.00:00:00"));
        Assert.Contains("Accounts:SessionIdleTimeout", error.Message, StringComparison.Ordinal);
        var tooShort = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(NodeRole.Web, null, "--Accounts:SessionIdleTimeout=00:00:01"));
        Assert.Contains("Accounts:SessionIdleTimeout", tooShort.Message, StringComparison.Ordinal);
    }

    private Database Db => Server.Services.GetRequiredService<Database>();

    private SessionStore StoreOn(TimeProvider time, TimeSpan idle, TimeSpan lifetime) =>
        new(Db, time, Options.Create(new AccountsOptions { SessionIdleTimeout = idle, SessionLifetime = lifetime }), NullLogger<SessionStore>.Instance);

    private async Task<long> LastSeenAsync(string token)
    {
        await using var connection = await Db.Directory.Primary.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT last_seen_at FROM sessions WHERE token_hash = @hash", new { hash = SessionStore.Hash(token) });
    }
}

/// <summary>The same, on PostgreSQL.</summary>
public sealed class SessionIdleTimeoutTestsOnPostgres : SessionIdleTimeoutTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
