using Scalegram.Accounts;
using Scalegram.Web;

namespace Scalegram.Social;

/// <summary>PUT/DELETE /api/me/following/{username}.</summary>
internal static class FollowEndpoints
{
    public static IEndpointRouteBuilder MapFollows(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/me/following").WithTags("Social").RequireAuthorization();
        group.MapPut("/{username}", (string username, HttpContext http, AccountService accounts, FollowService follows, CancellationToken ct) =>
            SetAsync(username, http, accounts, follows, true, ct));
        group.MapDelete("/{username}", (string username, HttpContext http, AccountService accounts, FollowService follows, CancellationToken ct) =>
            SetAsync(username, http, accounts, follows, false, ct));
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

        await follows.SetAsync(me, target.Id, follow, ct);
        return Results.NoContent();
    }
}
