using System.Globalization;
using Scalegram.Accounts;
using Scalegram.Web;

namespace Scalegram.Social;

/// <summary>GET /api/users/{username}: a profile with its counts and whether the viewer follows it.</summary>
internal static class ProfileEndpoints
{
    public static IEndpointRouteBuilder MapProfiles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/users/{username}", async (string username, HttpContext http, AccountService accounts, FollowStore follows, CancellationToken ct) =>
        {
            var user = await accounts.FindByUsernameAsync(username, ct);
            if (user is null)
            {
                return Problems.NotFound($"User '{username}'");
            }

            var counts = await accounts.CountsAsync(user.Id, ct);
            bool? followed = CurrentUser.IdOf(http.User) is { } viewer && viewer != user.Id ? await follows.IsFollowingAsync(viewer, user.Id, ct) : null;
            return Results.Ok(new ProfileDto(
                user.Id.ToString(CultureInfo.InvariantCulture), user.Username, user.DisplayName,
                counts.Photos, counts.Followers, counts.Following, followed, DateTimeOffset.FromUnixTimeMilliseconds(user.CreatedAt)));
        })
        .WithTags("Accounts")
        .Produces<ProfileDto>();
        return app;
    }
}
