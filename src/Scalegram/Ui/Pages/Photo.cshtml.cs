using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Scalegram.Photos;
using Scalegram.Web;

namespace Scalegram.Ui.Pages;

/// <summary>/p/{photoId} — one photo large, its caption, likes and comments; delete for its owner.</summary>
internal sealed class PhotoModel(PhotoService photos, PhotoStore store) : PageModel
{
    public PhotoDto Photo { get; private set; } = null!;

    public IReadOnlyList<CommentDto> Comments { get; private set; } = [];

    public string? NextCommentsCursor { get; private set; }

    public bool IsOwner { get; private set; }

    public bool SignedIn { get; private set; }

    public async Task<IActionResult> OnGetAsync(long photoId, CancellationToken ct)
    {
        var viewer = CurrentUser.IdOf(User);
        if (await photos.GetDtoAsync(photoId, viewer, ct) is not { } photo)
        {
            return NotFound();
        }

        Photo = photo;
        SignedIn = viewer is not null;
        IsOwner = viewer is { } v && photo.Owner.Id == Cursor.Write(v);
        var rows = await store.ListCommentsAsync(photoId, 0, PhotoEndpoints.PageSize + 1, ct);
        Comments = await photos.CommentDtosAsync(rows.Take(PhotoEndpoints.PageSize).ToList(), ct);
        NextCommentsCursor = rows.Count > PhotoEndpoints.PageSize ? Cursor.Write(rows[PhotoEndpoints.PageSize - 1].Id) : null;
        return Page();
    }
}
