using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Scalegram.Web;

/// <summary>
/// Authenticates a request by its server-side session: a bearer token or the session cookie.
/// Nothing about the user is kept in process memory, so any web node can serve any request.
/// </summary>
internal sealed class SessionAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ISessionResolver sessions,
    SessionCache cache) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Session";
    public const string CookieName = "sg_session";

    /// <summary>The session cookie's name over HTTPS: the __Host- prefix binds it to this host, Secure and Path=/.</summary>
    public const string SecureCookieName = "__Host-sg_session";
    public const string UserIdClaim = "uid";
    public const string MethodClaim = "auth_method";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (token, method) = ReadToken(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        var user = await ResolveAsync(token);
        if (user is null)
        {
            return AuthenticateResult.Fail("The session has ended or is not valid.");
        }

        var claims = new List<Claim>
        {
            new(UserIdClaim, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, user.Username),
            new(MethodClaim, method),
        };
        if (user.IsAdmin)
        {
            claims.Add(new Claim(ClaimTypes.Role, "admin"));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        Context.Items[TokenItem] = token;
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>The session from this node's cache, else from the database (and then cached); see <see cref="SessionCache"/> for the bound.</summary>
    private async Task<SessionUser?> ResolveAsync(string token)
    {
        if (token.Length > 100)
        {
            return null; // No token this app hands out is that long; not worth hashing.
        }

        var key = SessionCache.KeyOf(token);
        if (cache.TryGet(key) is { } cached)
        {
            return cached;
        }

        var stamp = cache.Stamp;
        var user = await sessions.ResolveAsync(token, Context.RequestAborted);
        if (user is not null)
        {
            cache.Put(key, user, stamp);
        }

        return user;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!Request.Path.StartsWithSegments("/api"))
        {
            Response.Redirect("/signin?returnUrl=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
            return;
        }

        await Problems.Of(401, "not-signed-in", "Sign in first: send the session cookie or an 'Authorization: Bearer' token.").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await Problems.Forbidden("Your account may not do this.").ExecuteAsync(Context);

    public const string TokenItem = "scalegram.session-token";

    public static (string? Token, string Method) ReadToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (header["Bearer ".Length..].Trim(), "bearer");
        }

        // Over HTTPS only the __Host- cookie counts: a plain sg_session could have been planted by a
        // sibling subdomain or over HTTP.
        return request.Cookies.TryGetValue(SessionCookie.NameFor(request), out var cookie) ? (cookie, "cookie") : (null, "none");
    }
}
