using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Scalegram.Ui.Pages;

/// <summary>/error/{code} — the friendly page for 404s and every other error page requests meet; never any detail of the failure.</summary>
[IgnoreAntiforgeryToken]
internal sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    public string Heading { get; private set; } = "";

    public string Message { get; private set; } = "";

    public void OnGet(int? code) => Describe(code);

    // A failed POST is re-executed as a POST: answer it the same way.
    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null || HttpContext.Features.Get<IExceptionHandlerFeature>() is not null;
        Status = reExecuted ? Response.StatusCode : code is >= 400 and <= 599 ? code.Value : 500;
        Response.StatusCode = Status;
        (Heading, Message) = Status switch
        {
            404 => ("Page not found", "The link may be broken, or the page (a photo or a profile) may have been removed."),
            400 => ("That request didn't work", "The form may have expired. Go back, reload the page and try again."),
            401 or 403 => ("Not allowed", "You don't have access to this page. Try signing in with another account."),
            429 => ("Slow down", "Too many attempts in a short time. Wait a minute and try again."),
            _ => ("Something went wrong", "It's our fault, and it has been logged. Try again in a moment."),
        };
    }
}
