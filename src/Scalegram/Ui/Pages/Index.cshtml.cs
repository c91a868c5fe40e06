using Microsoft.AspNetCore.Mvc.RazorPages;
using Scalegram.Feed;
using Scalegram.Photos;
using Scalegram.Web;

namespace Scalegram.Ui.Pages;

/// <summary>/ — the home feed when signed in (first page rendered here, the rest loaded by cursor), else the welcome page.</summary>
internal sealed class IndexModel(FeedService feed) : PageModel
{
    public IReadOnlyList<PhotoDto> Photos { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public bool SignedIn { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (CurrentUser.IdOf(User) is not { } me)
        {
            return;
        }

        SignedIn = true;
        var (items, next) = await feed.PageAsync(me, long.MaxValue, PhotoEndpoints.PageSize, ct);
        Photos = items;
        NextCursor = next is { } n ? Cursor.Write(n) : null;
    }
}
