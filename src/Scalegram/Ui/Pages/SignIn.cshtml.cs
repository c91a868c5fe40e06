using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Scalegram.Accounts;
using Scalegram.Web;

namespace Scalegram.Ui.Pages;

/// <summary>/signin — starts a session (cookie) and returns to where the user was going, if that is on this site.</summary>
[EnableRateLimiting(LoginRateLimits.SignInPolicy)]
internal sealed class SignInModel(AccountService accounts, SessionCookie cookie) : PageModel
{
    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Redirect(SafeReturnUrl) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var session = await accounts.SignInAsync(Username?.Trim(), Password, SessionDevice.Of(HttpContext), ct);
        if (session is not { } s)
        {
            Error = "That username and password do not match an account.";
            Password = null;
            return Page();
        }

        cookie.Set(HttpContext, s.Token, s.ExpiresAt);
        return Redirect(SafeReturnUrl);
    }

    // Only a local path: never send a user off-site after signing in (open redirect).
    private string SafeReturnUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
}
