namespace Scalegram.Web;

/// <summary>Writes the session cookie: HttpOnly, SameSite=Lax, and Secure whenever the request came over HTTPS.</summary>
internal sealed class SessionCookie
{
    public void Set(HttpContext http, string token, DateTimeOffset expiresAt) =>
        http.Response.Cookies.Append(SessionAuthentication.CookieName, token, Options(http, expiresAt));

    public void Clear(HttpContext http) =>
        http.Response.Cookies.Delete(SessionAuthentication.CookieName, Options(http, null));

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
