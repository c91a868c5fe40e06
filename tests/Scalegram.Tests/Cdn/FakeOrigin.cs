using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Scalegram.Tests.Cdn;

/// <summary>
/// A small origin for the edge's VCL tests: it counts requests per path, records the cookies it was
/// sent, and answers like Scalegram does (immutable media, pages and API that say "public" on purpose,
/// to show the edge still does not cache them).
/// </summary>
internal sealed class FakeOrigin : IAsyncDisposable
{
    public static readonly byte[] Image = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7, 8];

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private readonly ConcurrentQueue<(string Path, string? Cookie)> _cookies = new();

    private FakeOrigin(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>How long /media/p/slow/... takes to answer (to overlap concurrent misses).</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromMilliseconds(800);

    public static async Task<FakeOrigin> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var origin = new FakeOrigin(app);
        app.Use(async (http, next) =>
        {
            var path = http.Request.Path.Value ?? "";
            origin._requests.AddOrUpdate(path, 1, (_, n) => n + 1);
            origin._cookies.Enqueue((path, http.Request.Headers.Cookie.Count > 0 ? http.Request.Headers.Cookie.ToString() : null));
            await next(http);
        });
        app.MapGet("/healthz/ready", () => "ready");
        app.MapGet("/media/{**key}", async (string key, HttpContext http) =>
        {
            if (key.StartsWith("p/slow/", StringComparison.Ordinal))
            {
                await Task.Delay(origin.SlowDelay);
            }

            if (key.StartsWith("p/missing/", StringComparison.Ordinal))
            {
                return Results.NotFound();
            }

            if (key.StartsWith("p/cookie/", StringComparison.Ordinal))
            {
                http.Response.Headers.SetCookie = "session=abc; HttpOnly";
            }

            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.Bytes(Image, "image/jpeg");
        });
        app.MapGet("/page", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=600";
            return Results.Content("<html><body>hello</body></html>", "text/html");
        });
        app.MapGet("/api/me", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=600";
            return Results.Json(new { name = "alice" });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        origin.Port = new Uri(address).Port;
        return origin;
    }

    /// <summary>Requests the origin received for a path.</summary>
    public int RequestsFor(string path) => _requests.GetValueOrDefault(path);

    /// <summary>The Cookie header of every request for a path (null when none was sent).</summary>
    public IReadOnlyList<string?> CookiesFor(string path) => _cookies.Where(c => c.Path == path).Select(c => c.Cookie).ToList();

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
