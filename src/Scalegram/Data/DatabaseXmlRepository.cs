using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Scalegram.Data;

/// <summary>
/// The Data Protection key ring in the directory store's data_protection_keys table (migration 010): every
/// node reads the same keys, and they outlive any Redis failover, flush or restart (cookies and antiforgery
/// tokens issued before stay valid). Data Protection reads the ring rarely (at start, then about daily) and
/// writes a key about every 90 days, so the interface's synchronous calls waiting on the database are cheap.
/// </summary>
internal sealed class DatabaseXmlRepository(Database db) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => Task.Run(() => GetAllAsync(CancellationToken.None)).GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) =>
        Task.Run(() => StoreAsync(element, friendlyName, CancellationToken.None)).GetAwaiter().GetResult();

    public async Task<IReadOnlyCollection<XElement>> GetAllAsync(CancellationToken ct)
    {
        // From the primary: a key just written by another node must be found, or its cookies would not verify here.
        var rows = await db.Directory.Primary.ReadAsync(
            (connection, token) => connection.QueryAsync<string>(new CommandDefinition("SELECT xml FROM data_protection_keys ORDER BY created_at, name", cancellationToken: token)),
            ct);
        return [.. rows.Select(x => XElement.Parse(x))];
    }

    public async Task StoreAsync(XElement element, string friendlyName, CancellationToken ct)
    {
        // Names are unique per key ("key-{guid}", "revocation-{time}"); a clash still must not drop an element.
        var name = string.IsNullOrWhiteSpace(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName;
        await using var connection = await db.Directory.Primary.OpenAsync(ct);
        var added = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @now) ON CONFLICT (name) DO NOTHING",
            new { name, xml = element.ToString(SaveOptions.DisableFormatting), now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
            cancellationToken: ct));
        if (added == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @now)",
                new { name = $"{name}-{Guid.NewGuid():N}", xml = element.ToString(SaveOptions.DisableFormatting), now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                cancellationToken: ct));
        }
    }
}
