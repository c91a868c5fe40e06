using System.CommandLine;

namespace Scalegram.Cli;

/// <summary>The options every command that opens the data takes, turned into configuration arguments for the host.</summary>
internal static class HostArgs
{
    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "Where the embedded mode keeps everything (databases, blobs, keys). Default: ./data",
    };

    public static readonly Option<string?> Urls = new("--urls")
    {
        Description = "Addresses to listen on, ASP.NET Core style (default http://localhost:8080).",
    };

    /// <summary>Unrecognised tokens pass through as configuration (e.g. --Caching:Disabled=true).</summary>
    public static string[] From(ParseResult parse)
    {
        var args = new List<string>(parse.UnmatchedTokens);
        if (parse.GetValue(DataDir) is { Length: > 0 } dir)
        {
            args.Add($"--Data:Directory={Path.GetFullPath(dir)}");
        }

        if (parse.GetValue(Urls) is { Length: > 0 } urls)
        {
            args.Add($"--urls={urls}");
        }

        return [.. args];
    }
}
