using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Scalegram.Accounts;
using Scalegram.Web;

namespace Scalegram.Ui.Pages;

/// <summary>
/// /settings — your account, one section per concern: the password (changing it signs out every other
/// session) and the sessions (each one can be signed out, or all but this one). Plain forms with the
/// antiforgery token, no script. Further sections (deleting the account) go below these.
/// </summary>
[Authorize]
internal sealed class SettingsModel(AccountService accounts, SessionStore sessions, SessionCookie cookie, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    /// <summary>Which action just succeeded (after the redirect that follows every successful post).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public string? CurrentPasswordError { get; private set; }

    public string? NewPasswordError { get; private set; }

    public IReadOnlyList<SessionInfo> Sessions { get; private set; } = [];

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>A fixed message per action: the query string picks one, it never supplies text.</summary>
    public string? Notice => Done switch
    {
        "password" => "Your password was changed. Every other session was signed out.",
        "revoked" => "That session was signed out.",
        "gone" => "That session had already ended.",
        "others" => "Every other session was signed out.",
        _ => null,
    };

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostPasswordAsync(CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(NewPassword) && NewPassword != ConfirmPassword)
        {
            NewPasswordError = "The new password and its confirmation differ.";
        }
        else
        {
            var outcome = await accounts.ChangePasswordAsync(UserId, Token, CurrentPassword, NewPassword, ct);
            if (outcome.RevokedSessions is not null)
            {
                return Redirect("/settings?done=password");
            }

            if (outcome.ErrorCode is "wrong-password" or "sign-in-locked" || (outcome.ErrorCode == "missing-password" && string.IsNullOrEmpty(CurrentPassword)))
            {
                CurrentPasswordError = outcome.LockedFor is { } wait
                    ? $"Too many wrong passwords; try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} min."
                    : outcome.ErrorCode == "missing-password" ? "Enter your current password." : "That is not your current password; nothing was changed.";
            }
            else
            {
                NewPasswordError = outcome.ErrorCode == "missing-password" ? "Choose a new password." : outcome.Error;
            }
        }

        CurrentPassword = NewPassword = ConfirmPassword = null;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string? id, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64 || !await sessions.RevokeByIdAsync(UserId, id, ct))
        {
            return Redirect("/settings?done=gone");
        }

        if (await sessions.ResolveAsync(Token, ct) is null)
        {
            // The session signed out was this one.
            cookie.Clear(HttpContext);
            return Redirect("/");
        }

        return Redirect("/settings?done=revoked");
    }

    public async Task<IActionResult> OnPostRevokeOthersAsync(CancellationToken ct)
    {
        await sessions.RevokeAllAsync(UserId, Token, ct);
        return Redirect("/settings?done=others");
    }

    private long UserId => CurrentUser.RequiredId(User);

    private string Token => HttpContext.Items[SessionAuthentication.TokenItem] as string ?? throw new InvalidOperationException("A signed-in request has a session token.");

    private async Task LoadAsync(CancellationToken ct)
    {
        // A list of where you are signed in: no browser or proxy may keep it.
        Response.Headers.CacheControl = "no-store";
        Sessions = await sessions.ListAsync(UserId, Token, ct);
    }
}
