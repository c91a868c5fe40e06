using System.Globalization;
using Scalegram.Accounts;
using Scalegram.Web;

namespace Scalegram.Social;

/// <summary>
/// GET /api/users/{username}: a profile with its counts, whether the viewer follows it, and, for a private
/// account, whether the viewer's request is pending. Names and counts are public even for private accounts.
/// </summary>
internal static class ProfileEndpoints
{
    public static IEndpointRouteBuilder MapProfiles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/users/{username}", async (string username, HttpContext http, AccountService accounts, FollowStore follows, FollowRequestStore requests, Audience audience, CancellationToken ct) =>
        {
            var user = await accounts.FindByUsernameAsync(username, ct);
            if (user is null)
            {
                return Problems.NotFound($"User '{username}'");
            }

            var counts = await accounts.CountsAsync(user.Id, ct);
            var viewer = CurrentUser.IdOf(http.User);
            bool? followed = viewer is { } v && v != user.Id ? await follows.IsFollowingAsync(v, user.Id, ct) : null;
            var isPrivate = await audience.IsPrivateAsync(user.Id, ct);
            bool? requested = isPrivate && followed == false ? await requests.IsPendingAsync(user.Id, viewer!.Value, ct) : null;
            return Results.Ok(new ProfileView(
                user.Id.ToString(CultureInfo.InvariantCulture), user.Username, user.DisplayName,
                counts.Photos, counts.Followers, counts.Following, followed, DateTimeOffset.FromUnixTimeMilliseconds(user.CreatedAt),
                isPrivate, requested, await audience.CanSeeAsync(viewer, user.Id, ct)));
        })
        .WithTags("Accounts")
        .Produces<ProfileView>();
        return app;
    }
}

/// <summary>A profile as GET /api/users/{username} returns it: ProfileDto's fields plus its privacy as the viewer meets it.</summary>
internal sealed record ProfileView(
    string Id,
    string Username,
    string DisplayName,
    long Photos,
    long Followers,
    long Following,
    bool? FollowedByMe,
    DateTimeOffset CreatedAt,
    bool Private,
    bool? RequestedByMe,
    bool CanSeePhotos);
