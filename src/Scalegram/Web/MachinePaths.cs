namespace Scalegram.Web;

/// <summary>Paths that machines call: they answer problem+json, never an HTML page; everything else is a page of the web UI.</summary>
internal static class MachinePaths
{
    private static readonly string[] Prefixes = ["/api", "/media", "/static", "/healthz", "/metrics", "/openapi"];

    public static bool IsPage(PathString path) => !Prefixes.Any(prefix => path.StartsWithSegments(prefix));
}
