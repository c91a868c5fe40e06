using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.Options;
using Scalegram.Cdn;
using Scalegram.Web;

namespace Scalegram.Ui;

/// <summary>The server-rendered web UI: Razor Pages in Ui/Pages, scripts and styles at /static, friendly error pages.</summary>
internal static class WebUi
{
    public static IServiceCollection AddUi(this IServiceCollection services)
    {
        services.AddRazorPages(o => o.RootDirectory = "/Ui/Pages")
            .ConfigureApplicationPartManager(parts =>
            {
                // Under a test host the entry assembly is not this one, so name it explicitly (once).
                var assembly = typeof(WebUi).Assembly;
                if (!parts.ApplicationParts.OfType<AssemblyPart>().Any(p => p.Assembly == assembly))
                {
                    foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                    {
                        parts.ApplicationParts.Add(part);
                    }
                }
            });
        services.AddSingleton<StaticAssets>();
        return services;
    }

    /// <summary>
    /// For page requests: HTML error pages instead of problem details, and a strict content security
    /// policy. Machine paths opt out of the status-code page here, so the outer problem-details one answers.
    /// </summary>
    public static WebApplication UseWebUiPages(this WebApplication app)
    {
        var policy = ContentSecurityPolicy(app.Services.GetRequiredService<IOptions<CdnOptions>>().Value);
        app.UseExceptionHandler("/error");
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.Use((http, next) =>
        {
            if (!MachinePaths.IsPage(http.Request.Path))
            {
                if (http.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
                {
                    statusPages.Enabled = false;
                }

                return next(http);
            }

            http.Response.Headers.ContentSecurityPolicy = policy;
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers["Referrer-Policy"] = "same-origin";
            return next(http);
        });
        return app;
    }

    public static WebApplication MapWebUi(this WebApplication app)
    {
        app.MapUiAssets(app.Services.GetRequiredService<StaticAssets>());
        app.MapRazorPages();
        return app;
    }

    // Scripts and styles only from this origin (no inline script), images also from the CDN and
    // from blob: URLs (the upload preview), so an injected tag could do nothing even if one slipped through.
    private static string ContentSecurityPolicy(CdnOptions cdn)
    {
        var media = Uri.TryCreate(cdn.BaseUrl, UriKind.Absolute, out var cdnUri) ? " " + cdnUri.GetLeftPart(UriPartial.Authority) : "";
        return $"default-src 'self'; img-src 'self' blob: data:{media}; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }
}
