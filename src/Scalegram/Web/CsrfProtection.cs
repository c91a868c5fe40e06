using Microsoft.AspNetCore.Antiforgery;

namespace Scalegram.Web;

/// <summary>
/// Cookie-authenticated state changes under /api must carry an antiforgery token in the
/// X-CSRF-TOKEN header (GET /api/csrf hands one out). Bearer requests cannot be forged
/// cross-site, so they need none. Only the header counts: without it the request is refused before
/// antiforgery would fall back to reading (and buffering) a form body, such as a 25 MB upload.
/// </summary>
internal sealed class CsrfProtection(RequestDelegate next, IAntiforgery antiforgery)
{
    public const string HeaderName = "X-CSRF-TOKEN";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api")
            && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method)
            && CurrentUser.ByCookie(context.User)
            && (!context.Request.Headers.ContainsKey(HeaderName) || !await antiforgery.IsRequestValidAsync(context)))
        {
            await Problems.Of(400, "csrf", $"This request was sent with the session cookie but without a valid {HeaderName} header; fetch one from GET /api/csrf.")
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
