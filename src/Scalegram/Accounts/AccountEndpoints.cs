using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Scalegram.Web;
using Scalegram.Web.Idempotency;

namespace Scalegram.Accounts;

/// <summary>/api/accounts, /api/sessions, /api/me (the password and sessions under it: <see cref="MySessionEndpoints"/>), /api/users.</summary>
internal static class AccountEndpoints
{
    /// <summary>Sign-up and sign-in bodies: a name, a password of at most 1 KiB and a display name fit with room to spare.</summary>
    private const int SmallBody = 16 * 1024;

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/accounts", async (SignUpRequest? body, AccountService accounts, CancellationToken ct) =>
        {
            var result = await accounts.SignUpAsync(body?.Username, body?.Password, body?.DisplayName, ct);
            if (result.User is not { } user)
            {
                return result.IsConflict
                    ? Problems.Conflict(result.ErrorCode!, result.Error!)
                    : Problems.BadRequest(result.ErrorCode!, result.Error!);
            }

            return Results.Created($"/api/users/{user.Username}", ToMe(user));
        })
        .WithTags("Accounts")
        .Produces<MeDto>(201)
        .WithIdempotency()
        .WithBodyLimit(SmallBody)
        .RequireRateLimiting(LoginRateLimits.SignUpPolicy);

        app.MapPost("/api/sessions", async (SignInRequest? body, HttpContext http, AccountService accounts, SessionCookie cookie, CancellationToken ct) =>
        {
            var outcome = await accounts.TrySignInAsync(body?.Username, body?.Password, SessionDevice.Of(http), ct);
            if (outcome.TooLong)
            {
                return Problems.BadRequest("password-too-long", $"A password is at most {PasswordHashing.MaxBytes} bytes.");
            }

            if (outcome.LockedFor is { } lockedFor)
            {
                // The same answer for every name, real or not: only the attempts on it count.
                var seconds = (int)Math.Ceiling(lockedFor.TotalSeconds);
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return Problems.Of(429, "sign-in-locked", "Too many failed sign-ins for this username; wait before trying again (see Retry-After).");
            }

            if (outcome.Session is not { } s)
            {
                return Problems.Of(401, "invalid-credentials", "That username and password do not match an account.");
            }

            // A bearer token: no cache (browser, proxy) may keep this answer.
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers.Pragma = "no-cache";
            cookie.Set(http, s.Token, s.ExpiresAt);
            return Results.Ok(new SessionCreated(s.Token, s.ExpiresAt));
        })
        .WithTags("Accounts")
        .Produces<SessionCreated>()
        .WithBodyLimit(SmallBody)
        .RequireRateLimiting(LoginRateLimits.SignInPolicy);

        app.MapDelete("/api/sessions/current", async (HttpContext http, SessionStore sessions, SessionCookie cookie, CancellationToken ct) =>
        {
            if (http.Items[SessionAuthentication.TokenItem] is string token)
            {
                await sessions.RevokeAsync(token, ct);
            }

            cookie.Clear(http);
            return Results.NoContent();
        })
        .WithTags("Accounts")
        .RequireAuthorization();

        app.MapGet("/api/csrf", (HttpContext http, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(http);
            return Results.Ok(new { token = tokens.RequestToken, header = CsrfProtection.HeaderName });
        })
        .WithTags("Accounts")
        .WithSummary("An antiforgery token for cookie-authenticated state changes (send it as X-CSRF-TOKEN).");

        var me = app.MapGroup("/api/me").WithTags("Accounts").RequireAuthorization();
        me.MapGet("", async (HttpContext http, AccountService accounts, CancellationToken ct) =>
            await accounts.GetUserAsync(CurrentUser.RequiredId(http.User), ct) is { } user ? Results.Ok(ToMe(user)) : Problems.Of(401, "not-signed-in", "Sign in first."))
            .Produces<MeDto>();
        me.MapPatch("", async (UpdateMeRequest? body, HttpContext http, AccountService accounts, CancellationToken ct) =>
        {
            var name = body?.DisplayName?.Trim();
            if (!UserText.IsClean(name))
            {
                return UserText.Problem("display name");
            }

            if (string.IsNullOrEmpty(name) || name.Length > AccountService.MaxDisplayNameLength)
            {
                return Problems.BadRequest("invalid-display-name", $"A display name is 1 to {AccountService.MaxDisplayNameLength} characters.");
            }

            var userId = CurrentUser.RequiredId(http.User);
            await accounts.SetDisplayNameAsync(userId, name, ct);
            return Results.Ok(ToMe((await accounts.GetUserAsync(userId, ct))!));
        })
        .Produces<MeDto>();
        me.MapDelete("", ([FromBody] DeleteAccountRequest? body, HttpContext http, AccountDeletion deletion, SessionCookie cookie, CancellationToken ct) =>
            DeleteAccountAsync(body, http, deletion, cookie, ct))
            .WithBodyLimit(SmallBody)
            .Produces(202)
            .WithSummary("Delete your account (body: {\"password\": ...}): gone at once for everyone; its data is erased in the background and the username stays reserved for Accounts:UsernameQuarantine.");
        me.MapPost("/deletion", (DeleteAccountRequest? body, HttpContext http, AccountDeletion deletion, SessionCookie cookie, CancellationToken ct) =>
            DeleteAccountAsync(body, http, deletion, cookie, ct))
            .WithBodyLimit(SmallBody)
            .Produces(202)
            .WithSummary("The same as DELETE /api/me, for clients that cannot send a DELETE with a body.");

        me.MapMySessions();
        return app;
    }

    private static async Task<IResult> DeleteAccountAsync(DeleteAccountRequest? body, HttpContext http, AccountDeletion deletion, SessionCookie cookie, CancellationToken ct)
    {
        var outcome = await deletion.DeleteAsync(CurrentUser.RequiredId(http.User), body?.Password, ct);
        if (outcome == AccountDeletionOutcome.PasswordMissing)
        {
            return Problems.BadRequest("password-required", "Send your current password to delete your account: {\"password\": \"...\"}.");
        }

        if (outcome == AccountDeletionOutcome.WrongPassword)
        {
            return Problems.Of(403, "wrong-password", "That is not this account's password; the account was not deleted.");
        }

        if (outcome.LockedFor is { } lockedFor)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(lockedFor.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Problems.Of(429, "sign-in-locked", "Too many wrong passwords for this account; wait before trying again (see Retry-After).");
        }

        cookie.Clear(http);
        return outcome == AccountDeletionOutcome.Gone
            ? Problems.Of(401, "not-signed-in", "This account no longer exists.")
            : Results.Accepted(value: new AccountDeletionAccepted("deleting"));
    }

    private static MeDto ToMe(User user) =>
        new(user.Id.ToString(CultureInfo.InvariantCulture), user.Username, user.DisplayName, user.IsAdmin, DateTimeOffset.FromUnixTimeMilliseconds(user.CreatedAt));
}
