using Microsoft.AspNetCore.Antiforgery;

namespace Scalegram.Web;

/// <summary>
/// Cookie-authenticated state changes under /api must carry an antiforgery token in the
/// X-CSRF-TOKEN header (GET /api/csrf hands one out). Bearer requests cannot be forged
/// cross-site, so they need none.
/// </summary>
public sealed class CsrfProtection(RequestDelegate next, IAntiforgery antiforgery)
{
    public const string HeaderName = "X-CSRF-TOKEN";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api")
            && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method)
            && CurrentUser.ByCookie(context.User)
            && !await antiforgery.IsRequestValidAsync(context))
        {
            await Problems.Of(400, "csrf", $"This request was sent with the session cookie but without a valid {HeaderName} header; fetch one from GET /api/csrf.")
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
