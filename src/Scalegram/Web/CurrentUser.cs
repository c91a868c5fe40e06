using System.Globalization;
using System.Security.Claims;

namespace Scalegram.Web;

/// <summary>Reads who is signed in from the request's principal.</summary>
internal static class CurrentUser
{
    public static long? IdOf(ClaimsPrincipal principal) =>
        principal.FindFirst(SessionAuthentication.UserIdClaim)?.Value is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : null;

    public static long RequiredId(ClaimsPrincipal principal) =>
        IdOf(principal) ?? throw new InvalidOperationException("The endpoint requires authorization but no user is signed in.");

    public static bool ByCookie(ClaimsPrincipal principal) => principal.FindFirst(SessionAuthentication.MethodClaim)?.Value == "cookie";
}
