using System.Globalization;
using System.Net;

namespace Scalegram.Web.Idempotency;

/// <summary>Whose key it is: a signed-in user's, or, for anonymous calls such as sign-up, the client address's.</summary>
internal sealed record IdempotencyScope(string Name, long? UserId)
{
    public static IdempotencyScope Of(HttpContext http) =>
        CurrentUser.IdOf(http.User) is { } id
            ? ForUser(id)
            : new("anon:" + (http.Connection.RemoteIpAddress ?? IPAddress.Loopback), null);

    public static IdempotencyScope ForUser(long userId) => new("user:" + userId.ToString(CultureInfo.InvariantCulture), userId);
}
