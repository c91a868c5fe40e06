using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Scalegram.Data;

namespace Scalegram.Cdn;

/// <summary>
/// The key that signs private media URLs: Cdn:SigningKey when set; otherwise generated once and kept in the
/// directory store, so every node of a deployment (and every restart) signs and verifies with the same key.
/// </summary>
internal sealed class MediaSigningKey(IOptions<CdnOptions> options, IServiceProvider services, TimeProvider time)
{
    private const string Name = "media-url";
    private readonly SemaphoreSlim _load = new(1, 1);
    private byte[]? _key = string.IsNullOrEmpty(options.Value.SigningKey) ? null : Parse(options.Value.SigningKey);

    /// <summary>The key bytes of a base64 setting, or null when it is not base64 of at least 32 bytes.</summary>
    public static byte[]? Parse(string text)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text.Trim(), buffer, out var written) && written >= 32 ? buffer[..written] : null;
    }

    public async ValueTask<byte[]> GetAsync(CancellationToken ct)
    {
        if (_key is { } key)
        {
            return key;
        }

        await _load.WaitAsync(ct);
        try
        {
            return _key ??= await LoadOrCreateAsync(ct);
        }
        finally
        {
            _load.Release();
        }
    }

    private async Task<byte[]> LoadOrCreateAsync(CancellationToken ct)
    {
        // Resolved here, not injected: nodes without a database (a bare balancer) never sign anything.
        var db = services.GetRequiredService<Database>();
        await using var connection = await db.Directory.Primary.OpenAsync(ct);
        // Several nodes may start at once: the first insert wins and everyone reads the winner.
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO media_signing_keys (name, secret, created_at) VALUES (@name, @secret, @now) ON CONFLICT DO NOTHING",
            new { name = Name, secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: ct));
        var stored = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT secret FROM media_signing_keys WHERE name = @name", new { name = Name }, cancellationToken: ct));
        return Parse(stored ?? "") ?? throw new InvalidOperationException("The stored media signing key is not valid base64 of 32 bytes.");
    }
}
