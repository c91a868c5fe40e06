namespace Scalegram.Web;

/// <summary>
/// First in the pipeline (a startup filter, so it also covers pages, static files and error answers):
/// every answer carries X-Content-Type-Options: nosniff, so a browser never runs an upload or a JSON body
/// as a script or page. Kestrel's Server header is turned off in <see cref="WebTier"/>.
/// </summary>
internal sealed class SecurityHeaders : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, nextMiddleware) =>
        {
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return nextMiddleware(http);
        });
        next(app);
    };
}
