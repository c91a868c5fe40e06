using System.Net;
using System.Net.Http.Json;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Security;

/// <summary>Finding 11: a private data directory and database files; nosniff, no-store on the token, no Server header.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ResponseHeaderAndFileModeTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task The_data_directory_is_0700_and_the_SQLite_files_0600()
    {
        await using var server = await TestServer.StartAsync();
        using var _ = await ApiClient.NewUserAsync(server);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(server.DataDir));
        var files = Directory.EnumerateFiles(server.DataDir, "*.db*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith(".db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".db-wal", StringComparison.Ordinal));
        Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
    }

    [Fact]
    public async Task An_existing_world_readable_data_directory_is_made_private_at_start_up()
    {
        var dir = Path.Combine(Path.GetTempPath(), "scalegram-test-" + Guid.NewGuid().ToString("N"));
        await using (var first = await TestServer.StartAsync(dataDir: dir))
        {
        }

        File.SetUnixFileMode(dir, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var db = Directory.EnumerateFiles(dir, "*.db", SearchOption.AllDirectories).First();
        File.SetUnixFileMode(db, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        try
        {
            await using var second = await TestServer.StartAsync(dataDir: dir);
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(dir));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(db));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Answers_carry_nosniff_no_Server_header_and_the_token_is_not_cached()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        var name = ApiClient.NewName("hd");
        var created = await client.PostAsJsonAsync("/api/accounts", new { username = name, password = ApiClient.Password });
        var token = await client.PostAsJsonAsync("/api/sessions", new { username = name, password = ApiClient.Password });
        var missing = await client.GetAsync("/api/users/nobody_hd");
        var page = await client.GetAsync("/");
        foreach (var response in new[] { created, token, missing, page })
        {
            Assert.False(response.Headers.Contains("Server"), $"{response.RequestMessage!.RequestUri} sends Server: {string.Join(",", response.Headers.TryGetValues("Server", out var v) ? v : [])}");
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        }

        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.True(token.Headers.CacheControl?.NoStore, "the token answer may be cached");
    }
}
