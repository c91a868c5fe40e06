namespace Scalegram.Web;

/// <summary>
/// Writes the session cookie: HttpOnly, SameSite=Lax, Path=/. When the client used HTTPS it is
/// <c>__Host-sg_session</c> with Secure (browsers then refuse it from plain HTTP, from a subdomain or
/// with a Domain), else <c>sg_session</c> (plain HTTP on a developer's machine).
/// </summary>
internal sealed class SessionCookie
{
    public void Set(HttpContext http, string token, DateTimeOffset expiresAt) =>
        http.Response.Cookies.Append(NameFor(http.Request), token, Options(http, expiresAt));

    public void Clear(HttpContext http)
    {
        // Both names: a client that switched scheme may hold either.
        http.Response.Cookies.Delete(SessionAuthentication.CookieName, Options(http, null));
        if (http.Request.IsHttps)
        {
            http.Response.Cookies.Delete(SessionAuthentication.SecureCookieName, Options(http, null));
        }
    }

    public static string NameFor(HttpRequest request) => request.IsHttps ? SessionAuthentication.SecureCookieName : SessionAuthentication.CookieName;

    private static CookieOptions Options(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
