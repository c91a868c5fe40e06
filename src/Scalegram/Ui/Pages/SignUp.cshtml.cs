using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Scalegram.Accounts;
using Scalegram.Web;

namespace Scalegram.Ui.Pages;

/// <summary>/signup — creates an account, signs it in (session cookie) and goes to the feed; errors show beside their field.</summary>
[EnableRateLimiting(LoginRateLimits.SignUpPolicy)]
internal sealed class SignUpModel(AccountService accounts, SessionStore sessions, SessionCookie cookie) : PageModel
{
    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? UsernameError { get; private set; }

    public string? PasswordError { get; private set; }

    public string? FormError { get; private set; }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Redirect("/") : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var username = Username?.Trim();
        var result = await accounts.SignUpAsync(username, Password, DisplayName, ct);
        if (result.User is null)
        {
            _ = result.ErrorCode switch
            {
                "invalid-username" or "username-taken" => UsernameError = result.Error,
                "weak-password" => PasswordError = result.Error,
                _ => FormError = result.Error,
            };
            Password = null;
            return Page();
        }

        // The password was just hashed to create the account: start the session without hashing it again.
        var (token, expiresAt) = await sessions.CreateAsync(result.User.Id, SessionDevice.Of(HttpContext), ct);
        cookie.Set(HttpContext, token, expiresAt);
        return Redirect("/");
    }
}
