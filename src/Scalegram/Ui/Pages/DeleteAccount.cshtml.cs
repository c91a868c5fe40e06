using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Scalegram.Accounts;
using Scalegram.Web;

namespace Scalegram.Ui.Pages;

/// <summary>/settings/delete — deletes the signed-in account after asking for its password again (a plain form with the antiforgery token).</summary>
[Authorize]
internal sealed class DeleteAccountModel(AccountDeletion deletion, SessionCookie cookie, IOptions<AccountsOptions> options) : PageModel
{
    [BindProperty]
    public string? Password { get; set; }

    public string? Error { get; private set; }

    /// <summary>How long the name stays reserved, in whole days, for the warning.</summary>
    public int QuarantineDays => (int)Math.Ceiling(options.Value.UsernameQuarantine.TotalDays);

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await deletion.DeleteAsync(CurrentUser.RequiredId(User), Password, ct);
        Password = null;
        if (outcome == AccountDeletionOutcome.Deleted || outcome == AccountDeletionOutcome.Gone)
        {
            cookie.Clear(HttpContext);
            return Redirect("/settings/delete/done");
        }

        Error = outcome == AccountDeletionOutcome.PasswordMissing ? "Enter your password to delete your account."
            : outcome.LockedFor is not null ? "Too many wrong passwords; wait a few minutes before trying again."
            : "That is not your password; your account was not deleted.";
        return Page();
    }
}
