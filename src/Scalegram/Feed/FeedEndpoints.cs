using Scalegram.Photos;
using Scalegram.Web;

namespace Scalegram.Feed;

/// <summary>GET /api/feed: the signed-in user's home feed.</summary>
internal static class FeedEndpoints
{
    public static IEndpointRouteBuilder MapFeed(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/feed", async (string? cursor, HttpContext http, FeedService feed, CancellationToken ct) =>
        {
            if (!Cursor.TryRead(cursor, long.MaxValue, out var before))
            {
                return Cursor.Invalid();
            }

            var (items, next) = await feed.PageAsync(CurrentUser.RequiredId(http.User), before, PhotoEndpoints.PageSize, ct);
            return Results.Ok(new Page<PhotoDto>(items, next is { } n ? Cursor.Write(n) : null));
        })
        .RequireAuthorization()
        .WithTags("Feed")
        .Produces<Page<PhotoDto>>();
        return app;
    }
}
