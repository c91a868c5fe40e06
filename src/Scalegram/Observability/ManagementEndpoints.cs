using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Scalegram.Observability;

/// <summary>
/// Keeps /metrics (business figures, per-route series) and /openapi off the public port. With
/// Observability:ManagementPort set they answer only on that port (a second Kestrel endpoint on
/// Observability:ManagementHost, loopback unless set), and the public port answers 404. Without it they
/// answer only callers on this machine that came through no proxy (loopback, no X-Forwarded-For), so the
/// embedded single process is safe by default and local scrapers (Prometheus, bench, tests) keep working.
/// </summary>
internal static class ManagementEndpoints
{
    private static readonly string[] Paths = ["/metrics", "/openapi"];

    public static bool IsManagementPath(PathString path) => Paths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>Adds the management port to the addresses Kestrel listens on (after the role's default address is chosen).</summary>
    public static void ListenOnManagementPort(WebApplicationBuilder builder, ObservabilityOptions options)
    {
        if (options.ManagementPort is not { } port)
        {
            return;
        }

        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        var management = $"http://{options.ManagementHost}:{port}";
        builder.WebHost.UseUrls(string.IsNullOrEmpty(urls) ? management : $"{urls};{management}");
    }

    /// <summary>Answers 404 for a management path asked on the wrong port or from outside, and for anything but management and health on the management port.</summary>
    public static WebApplication UseManagementGuard(this WebApplication app)
    {
        var port = app.Services.GetRequiredService<IOptions<ObservabilityOptions>>().Value.ManagementPort;
        app.Use((http, next) =>
        {
            var path = http.Request.Path;
            var management = IsManagementPath(path);
            var allowed = port is { } p
                ? (http.Connection.LocalPort == p) == management || (http.Connection.LocalPort == p && path.StartsWithSegments("/healthz"))
                : !management || IsLocalAndDirect(http);
            if (allowed)
            {
                return next(http);
            }

            // The same answer as for an address that does not exist: nothing to learn from it.
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        return app;
    }

    // A proxy on this machine (the load balancer, a CDN edge) connects from loopback on behalf of someone
    // else and says so in X-Forwarded-For; only a caller that is itself local gets through.
    internal static bool IsLocalAndDirect(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address) && !http.Request.Headers.ContainsKey("X-Forwarded-For");
}
