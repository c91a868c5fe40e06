using Microsoft.Extensions.Options;

namespace Scalegram.Web;

/// <summary>
/// First in the pipeline (a startup filter, so it also covers pages, static files and error answers):
/// every answer carries X-Content-Type-Options: nosniff, so a browser never runs an upload or a JSON body
/// as a script or page; answers over HTTPS (the client's scheme, X-Forwarded-Proto from a trusted proxy)
/// carry HSTS. Kestrel's Server header is turned off in <see cref="WebTier"/>.
/// </summary>
internal sealed class SecurityHeaders(IOptions<WebOptions> options) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        // Without a trusted proxy the scheme is Kestrel's own and never changes later: decide HSTS now, with no
        // per-request callback (an allocation on every answer) for the plain-HTTP node behind a load balancer.
        var schemeMayChange = options.Value.TrustsProxies;
        app.Use((http, nextMiddleware) =>
        {
            http.Response.Headers.XContentTypeOptions = "nosniff";
            if (!schemeMayChange)
            {
                if (http.Request.IsHttps)
                {
                    http.Response.OnStarting(static state =>
                    {
                        ((HttpContext)state).Response.Headers.StrictTransportSecurity = "max-age=31536000";
                        return Task.CompletedTask;
                    }, http);
                }

                return nextMiddleware(http);
            }

            http.Response.OnStarting(static state =>
            {
                // Decided when the answer starts: by then a trusted proxy's X-Forwarded-Proto has set the scheme.
                // HSTS only means something over HTTPS (browsers ignore it over HTTP); a year, as is usual.
                var context = (HttpContext)state;
                if (context.Request.IsHttps)
                {
                    context.Response.Headers.StrictTransportSecurity = "max-age=31536000";
                }

                return Task.CompletedTask;
            }, http);

            return nextMiddleware(http);
        });
        next(app);
    };
}
