using System.Net;

namespace Scalegram.Accounts;

/// <summary>
/// What a session list shows about where a session was started: a short label made from the User-Agent
/// ("Chrome on Linux", only names from a fixed list, so nothing the client wrote is stored) and the client
/// address as the web tier sees it (after trusted X-Forwarded-For).
/// </summary>
internal sealed record SessionDevice(string Label, string? Address)
{
    public const int MaxAddressLength = 64;

    public static SessionDevice Of(HttpContext http) =>
        new(DeviceLabel.Parse(http.Request.Headers.UserAgent.ToString()), AddressOf(http.Connection.RemoteIpAddress));

    private static string? AddressOf(IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString() is var text && text.Length <= MaxAddressLength ? text : null;
}
