using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Scalegram.Accounts;
using Scalegram.Web;

namespace Scalegram.Ui.Pages;

/// <summary>/signout — a POST (with the antiforgery token) ends the session; a GET only asks.</summary>
internal sealed class SignOutModel(SessionStore sessions, SessionCookie cookie) : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Page() : Redirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (HttpContext.Items[SessionAuthentication.TokenItem] is string token)
        {
            await sessions.RevokeAsync(token, ct);
        }

        cookie.Clear(HttpContext);
        return Redirect("/");
    }
}
