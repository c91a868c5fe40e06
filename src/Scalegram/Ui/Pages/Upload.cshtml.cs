using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Scalegram.Photos;

namespace Scalegram.Ui.Pages;

/// <summary>/upload — the form; upload.js sends it to POST /api/photos with progress and then follows the photo until it is ready.</summary>
[Authorize]
internal sealed class UploadModel(IOptions<PhotoOptions> options) : PageModel
{
    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    public void OnGet()
    {
    }
}
