using Scalegram.Accounts;
using Scalegram.Web;

namespace Scalegram.Social;

/// <summary>PUT/DELETE /api/me/following/{username}: 204 when followed (or unfollowed), 202 "requested" for a private account.</summary>
internal static class FollowEndpoints
{
    public static IEndpointRouteBuilder MapFollows(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/me/following").WithTags("Social").RequireAuthorization();
        group.MapPut("/{username}", (string username, HttpContext http, AccountService accounts, FollowService follows, CancellationToken ct) =>
            SetAsync(username, http, accounts, follows, true, ct));
        group.MapDelete("/{username}", (string username, HttpContext http, AccountService accounts, FollowService follows, CancellationToken ct) =>
            SetAsync(username, http, accounts, follows, false, ct));

        // Privacy and follow requests belong with follows: mapped wherever follows are.
        app.MapPrivacy();
        return app;
    }

    private static async Task<IResult> SetAsync(string username, HttpContext http, AccountService accounts, FollowService follows, bool follow, CancellationToken ct)
    {
        var me = CurrentUser.RequiredId(http.User);
        var target = await accounts.FindByUsernameAsync(username, ct);
        if (target is null)
        {
            return Problems.NotFound($"User '{username}'");
        }

        if (target.Id == me)
        {
            return Problems.BadRequest("follow-self", "You cannot follow yourself.");
        }

        if (!follow)
        {
            await follows.UnfollowAsync(me, target.Id, ct);
            return Results.NoContent();
        }

        return await follows.FollowAsync(me, target.Id, ct) == FollowOutcome.Requested
            ? Results.Accepted(null, new FollowRequested("requested"))
            : Results.NoContent();
    }
}

/// <summary>The answer to following a private account: the request waits for the owner.</summary>
internal sealed record FollowRequested(string Status);
