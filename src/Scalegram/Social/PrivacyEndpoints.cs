using System.Globalization;
using Scalegram.Accounts;
using Scalegram.Web;

namespace Scalegram.Social;

/// <summary>
/// /api/me/privacy (GET, PUT {"private": bool}) and the owner's follow requests:
/// GET /api/me/follow-requests, POST /api/me/follow-requests/{userId}/approve|deny.
/// </summary>
internal static class PrivacyEndpoints
{
    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me").WithTags("Social").RequireAuthorization();
        me.MapGet("/privacy", async (HttpContext http, PrivacyStore privacy, CancellationToken ct) =>
            Results.Ok(new PrivacyDto(await privacy.IsPrivateAsync(CurrentUser.RequiredId(http.User), ct))))
            .Produces<PrivacyDto>();

        me.MapPut("/privacy", async (PrivacyDto? body, HttpContext http, PrivacyService service, PrivacyStore privacy, CancellationToken ct) =>
        {
            if (body?.Private is not { } isPrivate)
            {
                return Problems.BadRequest("invalid-privacy", "The body is {\"private\": true} or {\"private\": false}.");
            }

            var userId = CurrentUser.RequiredId(http.User);
            await service.SetAsync(userId, isPrivate, ct);
            return Results.Ok(new PrivacyDto(await privacy.IsPrivateAsync(userId, ct)));
        })
        .Produces<PrivacyDto>();

        me.MapGet("/follow-requests", async (string? cursor, HttpContext http, FollowRequestStore requests, AccountService accounts, CancellationToken ct) =>
        {
            if (!Cursor.TryRead(cursor, 0, out var after))
            {
                return Cursor.Invalid();
            }

            const int size = 50;
            var rows = await requests.ListAsync(CurrentUser.RequiredId(http.User), after, size + 1, ct);
            var items = new List<FollowRequestDto>();
            foreach (var row in rows.Take(size))
            {
                var user = await accounts.GetUserAsync(row.RequesterId, ct);
                items.Add(new FollowRequestDto(
                    row.RequesterId.ToString(CultureInfo.InvariantCulture), user?.Username ?? "", user?.DisplayName ?? "",
                    DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt)));
            }

            return Results.Ok(new Page<FollowRequestDto>(items, rows.Count > size ? Cursor.Write(rows[size - 1].RequesterId) : null));
        })
        .Produces<Page<FollowRequestDto>>();

        me.MapPost("/follow-requests/{userId:long}/approve", async (long userId, HttpContext http, FollowService follows, CancellationToken ct) =>
            await follows.ApproveAsync(CurrentUser.RequiredId(http.User), userId, ct) ? Results.NoContent() : Problems.NotFound("That follow request"));
        me.MapPost("/follow-requests/{userId:long}/deny", async (long userId, HttpContext http, FollowService follows, CancellationToken ct) =>
            await follows.DenyAsync(CurrentUser.RequiredId(http.User), userId, ct) ? Results.NoContent() : Problems.NotFound("That follow request"));
        return app;
    }
}

/// <summary>Whether the signed-in account is private (the body of PUT /api/me/privacy too).</summary>
internal sealed record PrivacyDto(bool? Private);

/// <summary>A pending request to follow the signed-in (private) account.</summary>
internal sealed record FollowRequestDto(string Id, string Username, string DisplayName, DateTimeOffset RequestedAt);
