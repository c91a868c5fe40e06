using System.Globalization;
using Scalegram.Web;

namespace Scalegram.Accounts;

/// <summary>
/// /api/me/password and /api/me/sessions: change your password (signs out every other session), list your
/// sessions, sign one out by its ID, sign out everywhere else or everywhere. Every answer is no-store.
/// </summary>
internal static class MySessionEndpoints
{
    /// <summary>Two passwords of at most 1 KiB each fit with room to spare.</summary>
    private const int SmallBody = 16 * 1024;

    /// <summary>Longest session ID accepted in a path (ours are 16 characters, older backfilled ones 24 or 32).</summary>
    private const int MaxIdLength = 64;

    public static RouteGroupBuilder MapMySessions(this RouteGroupBuilder me)
    {
        me.MapPost("/password", async (ChangePasswordRequest? body, HttpContext http, AccountService accounts, CancellationToken ct) =>
        {
            NoStore(http);
            var outcome = await accounts.ChangePasswordAsync(CurrentUser.RequiredId(http.User), CurrentToken(http), body?.CurrentPassword, body?.NewPassword, ct);
            if (outcome.RevokedSessions is { } revoked)
            {
                return Results.Ok(new PasswordChangedDto(revoked));
            }

            if (outcome.LockedFor is { } lockedFor)
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(lockedFor.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return Problems.Of(429, outcome.ErrorCode!, outcome.Error!);
            }

            return outcome.ErrorCode switch
            {
                "wrong-password" => Problems.Of(403, outcome.ErrorCode, outcome.Error!),
                "not-signed-in" => Problems.Of(401, outcome.ErrorCode, outcome.Error!),
                _ => Problems.BadRequest(outcome.ErrorCode!, outcome.Error!),
            };
        })
        .Produces<PasswordChangedDto>()
        .WithSummary("Changes your password (send currentPassword and newPassword); every other session of yours is signed out.")
        .WithBodyLimit(SmallBody)
        .RequireRateLimiting(LoginRateLimits.SignInPolicy);

        var sessions = me.MapGroup("/sessions").AddEndpointFilter(async (context, next) =>
        {
            NoStore(context.HttpContext);
            return await next(context);
        });

        sessions.MapGet("", async (HttpContext http, SessionStore store, CancellationToken ct) =>
        {
            var list = await store.ListAsync(CurrentUser.RequiredId(http.User), CurrentToken(http), ct);
            return Results.Ok(list.Select(s => new SessionDto(s.Id, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.Device, s.ClientAddress, s.Current)));
        })
        .Produces<SessionDto[]>()
        .WithSummary("Your live sessions, most recently used first; 'current' marks the one asking.");

        sessions.MapDelete("/{id}", async (string id, HttpContext http, SessionStore store, SessionCookie cookie, ILogger<SessionStore> logger, CancellationToken ct) =>
        {
            var userId = CurrentUser.RequiredId(http.User);

            // Someone else's ID answers exactly as an unknown one: nothing tells whether it exists.
            if (id.Length > MaxIdLength || !await store.RevokeByIdAsync(userId, id, ct))
            {
                return Problems.NotFound("That session");
            }

            Log.SessionsRevoked(logger, userId, 1, "one by ID");
            if (CurrentToken(http) is { } token && await store.ResolveAsync(token, ct) is null)
            {
                // It was this very session: sign this client out too.
                cookie.Clear(http);
            }

            return Results.NoContent();
        })
        .WithSummary("Signs out one of your sessions by its ID (from GET /api/me/sessions); 404 for an ID that is not one of your live sessions.");

        sessions.MapPost("/revoke-others", async (HttpContext http, SessionStore store, ILogger<SessionStore> logger, CancellationToken ct) =>
        {
            var userId = CurrentUser.RequiredId(http.User);
            var revoked = await store.RevokeAllAsync(userId, CurrentToken(http) ?? throw new InvalidOperationException("A signed-in request has a token."), ct);
            Log.SessionsRevoked(logger, userId, revoked, "all but the current one");
            return Results.Ok(new SessionsRevokedDto(revoked));
        })
        .Produces<SessionsRevokedDto>()
        .WithSummary("Signs out every session of yours except the one asking.");

        sessions.MapPost("/revoke-all", async (HttpContext http, SessionStore store, SessionCookie cookie, ILogger<SessionStore> logger, CancellationToken ct) =>
        {
            var userId = CurrentUser.RequiredId(http.User);
            var revoked = await store.RevokeAllAsync(userId, keepToken: null, ct);
            Log.SessionsRevoked(logger, userId, revoked, "all");
            cookie.Clear(http);
            return Results.Ok(new SessionsRevokedDto(revoked));
        })
        .Produces<SessionsRevokedDto>()
        .WithSummary("Signs out everywhere, this session included.");

        return me;
    }

    private static string? CurrentToken(HttpContext http) => http.Items[SessionAuthentication.TokenItem] as string;

    // Session lists and password answers are about one person's security: no browser or proxy may keep them.
    private static void NoStore(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
    }
}
