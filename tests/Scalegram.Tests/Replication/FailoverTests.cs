using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Scalegram.Data;
using Scalegram.Data.Replication;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;
using Scalegram.Tests.Infrastructure.Engines;
using Xunit.Abstractions;

namespace Scalegram.Tests.Replication;

/// <summary>
/// A failover never answers 500: kill -9 of the primary, then promotion of the standby (what pg_auto_failover
/// does), with the multi-host Primary string of the config contract. Writes answer 503 with Retry-After in
/// between and succeed again without a restart; the monitor counts the failover and sees the new roles. Each
/// failover-class error maps to 503; a commit waiting for a missing synchronous standby ends (bounded) in a 503.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class FailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task After_the_primary_dies_and_the_standby_is_promoted_writes_resume_without_a_restart_and_nothing_answers_500()
    {
        var primary = await PostgresServer.StartNewAsync();
        var database = new NpgsqlConnectionStringBuilder(await primary.CreateDatabaseAsync("fo")).Database!;
        await using var standby = await PostgresReplica.StartAsync(primary);
        var multiHost = $"Host=127.0.0.1:{primary.Port},127.0.0.1:{standby.Port};Username=postgres;Database={database};Timeout=3;Command Timeout=10;Target Session Attributes=read-write";
        await using var server = await TestServer.StartAsync(NodeRole.All, null, [
            "--Data:Engine=Postgres",
            $"--Data:Postgres:Stores:0:Primary={multiHost}",
            $"--Data:Postgres:Stores:0:Replicas:0={primary.ConnectionString(database)}",
            $"--Data:Postgres:Stores:0:Replicas:1={standby.ConnectionString(database)}",
            "--Data:Postgres:ReplicaPollInterval=00:00:00.200",
        ]);
        var nodes = server.Services.GetRequiredService<Database>().Stores[0].Replicas!.Nodes;
        await WaitAsync(() => nodes[0].State.Role == ReplicaRole.Primary && nodes[1].State.Role == ReplicaRole.Standby, "the monitor to see one primary and one standby");
        using var user = await ApiClient.NewUserAsync(server, "fo");
        var name = await ApiClient.UsernameAsync(user);
        using var anonymous = server.CreateClient();

        primary.Crash();
        var statuses = new Dictionary<HttpStatusCode, int>();
        var started = DateTime.UtcNow;
        var promoted = false;
        var i = 0;
        while (true)
        {
            var write = await user.PatchAsJsonAsync("/api/me", new { displayName = $"after failover {i++}" });
            var read = await anonymous.GetAsync($"/api/users/{name}");
            foreach (var response in new[] { write, read })
            {
                statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Assert.True(response.Headers.RetryAfter is not null, "a 503 says when to retry");
                    Assert.Equal("database-unavailable", (await ApiClient.ProblemAsync(response)).GetProperty("code").GetString());
                }
            }

            if (write.StatusCode == HttpStatusCode.OK && promoted)
            {
                break;
            }

            if (!promoted && write.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                await standby.PromoteAsync();
                promoted = true;
            }

            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), "writes did not resume within 60 s of the promotion");
            await Task.Delay(100);
        }

        output.WriteLine($"answers from kill -9 of the primary to the first write on the promoted standby ({(DateTime.UtcNow - started).TotalMilliseconds:F0} ms, promotion by hand right after the first 503): "
            + string.Join(", ", statuses.Select(s => $"{(int)s.Key}×{s.Value}")));
        Assert.Equal($"after failover {i - 1}", (await anonymous.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/users/{name}")).GetProperty("displayName").GetString());
        await WaitAsync(() => nodes[1].State.Role == ReplicaRole.Primary && nodes[0].State.Role == ReplicaRole.Down, "the monitor to see the promoted node as primary and the old one down");
        await WaitAsync(async () => await Scrape.SumAsync(anonymous, "scalegram_db_failovers_total") >= 1, "the failover to be counted");
    }

    [Theory]
    [InlineData("25006")]
    [InlineData("57P01")]
    [InlineData("57P03")]
    [InlineData("08006")]
    public async Task Failover_class_errors_answer_503_with_retry_after(string sqlState)
    {
        await using var server = await TestServer.StartAsync(NodeRole.All, null, ThrowingEndpoints, []);
        using var client = server.CreateClient();
        var response = await client.GetAsync($"/api/test-db-error/{sqlState}");
        Assert.Equal("database-unavailable", (await ApiClient.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "database-unavailable")).GetProperty("code").GetString());
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task A_database_that_refuses_connections_answers_503_and_other_database_errors_stay_500()
    {
        await using var server = await TestServer.StartAsync(NodeRole.All, null, ThrowingEndpoints, []);
        using var client = server.CreateClient();
        var refused = await client.GetAsync("/api/test-db-unreachable");
        await ApiClient.AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "database-unavailable");
        Assert.NotNull(refused.Headers.RetryAfter);

        // A constraint violation is a bug or bad data, not a failover: still the plain 500.
        await ApiClient.AssertProblemAsync(await client.GetAsync("/api/test-db-error/23505"), HttpStatusCode.InternalServerError, "internal");
    }

    [Fact]
    public async Task A_commit_waiting_for_a_missing_synchronous_standby_ends_within_the_command_timeout_as_503_never_as_success()
    {
        var own = await PostgresServer.StartNewAsync();
        var connectionString = await own.CreateDatabaseAsync("sync") + ";Command Timeout=2";
        await using var server = await TestServer.StartAsync(NodeRole.All, null, [.. TestEngines.PostgresSettings(connectionString)]);
        using var user = await ApiClient.NewUserAsync(server, "sy");
        await AdminAsync(own, "ALTER SYSTEM SET synchronous_standby_names = 'nobody'");
        try
        {
            // No standby named 'nobody' exists, so every commit waits for it; the client must not wait forever.
            user.Timeout = TimeSpan.FromSeconds(60);
            var started = DateTime.UtcNow;
            var response = await user.PatchAsJsonAsync("/api/me", new { displayName = "waiting" });
            output.WriteLine($"PATCH with no synchronous standby: {(int)response.StatusCode} after {(DateTime.UtcNow - started).TotalMilliseconds:F0} ms (Command Timeout 2 s)");
            // PostgreSQL answers a cancelled wait with success (committed locally, not replicated): the primary's
            // connections break instead of cancelling, so the client hears "unknown, retry", never "done".
            await ApiClient.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "database-unavailable");
        }
        finally
        {
            await AdminAsync(own, "ALTER SYSTEM RESET synchronous_standby_names");
        }
    }

    private static void ThrowingEndpoints(WebApplication app)
    {
        app.MapGet("/api/test-db-error/{sqlState}", (string sqlState) =>
        {
            throw new PostgresException("simulated", "FATAL", "FATAL", sqlState);
#pragma warning disable CS0162 // the lambda needs a result type
            return Results.Ok();
#pragma warning restore CS0162
        });
        app.MapGet("/api/test-db-unreachable", async (CancellationToken ct) =>
        {
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={ServerProcess.FreePort()};Username=postgres;Timeout=2;Pooling=false");
            await connection.OpenAsync(ct);
            return Results.Ok();
        });
    }

    private static async Task AdminAsync(PostgresServer server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString("postgres", 1) + ";Pooling=false");
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand(sql, connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", connection);
        await reload.ExecuteScalarAsync();
    }

    private static Task WaitAsync(Func<bool> condition, string what) => WaitAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }
}
