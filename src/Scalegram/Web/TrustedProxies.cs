using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Scalegram.Web;

/// <summary>
/// Behind a load balancer: takes the client's address and scheme from X-Forwarded-For/-Proto, but only
/// when the hop that sent them is a configured proxy (Web:KnownProxies, Web:KnownNetworks). With none
/// configured (the default) the middleware is not even added, so a forged header from anyone changes nothing.
/// </summary>
internal static class TrustedProxies
{
    /// <summary>Runs first in the pipeline, so rate limits, cookies, pages and logs all see the real client.</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        var web = app.Services.GetRequiredService<IOptions<WebOptions>>().Value;
        if (!web.TrustsProxies)
        {
            // ForwardedHeadersMiddleware with empty known lists would trust every sender: never run it without a list.
            return app;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,

            // Walk back through the chain as long as each hop is a known proxy (CDN -> LB -> node), no further.
            ForwardLimit = null,
        };

        // The framework trusts loopback by default; only what the operator named is trusted here.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in web.Proxies)
        {
            options.KnownProxies.Add(proxy);
        }

        foreach (var network in web.Networks)
        {
            options.KnownIPNetworks.Add(network);
        }

        app.UseForwardedHeaders(options);
        return app;
    }
}
