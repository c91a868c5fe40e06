namespace Scalegram.Accounts;

/// <summary>
/// A short, human label for a User-Agent ("Firefox on Windows", "Safari on iOS"). Only names from the lists
/// below come out, never text from the header, so a hostile User-Agent can put nothing on a page.
/// </summary>
internal static class DeviceLabel
{
    public const string Unknown = "Unknown device";

    // Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari", Android also says "Linux".
    private static readonly (string Token, string Name)[] Browsers =
    [
        ("Edg/", "Edge"), ("EdgiOS/", "Edge"), ("EdgA/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"),
        ("Version/", "Safari"), ("curl/", "curl"), ("Wget/", "Wget"), ("python-requests/", "Python"), ("okhttp/", "OkHttp"),
    ];

    private static readonly (string Token, string Name)[] Systems =
    [
        ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("CrOS", "ChromeOS"), ("Windows", "Windows"),
        ("Mac OS X", "macOS"), ("Macintosh", "macOS"), ("Linux", "Linux"), ("FreeBSD", "FreeBSD"),
    ];

    public static string Parse(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return Unknown;
        }

        var browser = First(Browsers, userAgent);
        var system = First(Systems, userAgent);
        return (browser, system) switch
        {
            (null, null) => Unknown,
            ({ } b, null) => b,
            (null, { } s) => $"Browser on {s}",
            ({ } b, { } s) => $"{b} on {s}",
        };
    }

    private static string? First((string Token, string Name)[] names, string userAgent)
    {
        foreach (var (token, name) in names)
        {
            if (userAgent.Contains(token, StringComparison.Ordinal))
            {
                return name;
            }
        }

        return null;
    }
}
