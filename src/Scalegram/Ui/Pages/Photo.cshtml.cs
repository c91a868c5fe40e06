using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Scalegram.Photos;
using Scalegram.Web;

namespace Scalegram.Ui.Pages;

/// <summary>/p/{photoId} — one photo large, its caption, likes and comments; delete for its owner, and for comments their author's or the owner's.</summary>
internal sealed class PhotoModel(PhotoService photos, PhotoStore store) : PageModel
{
    public PhotoDto Photo { get; private set; } = null!;

    public IReadOnlyList<CommentDto> Comments { get; private set; } = [];

    public string? NextCommentsCursor { get; private set; }

    public bool IsOwner { get; private set; }

    public bool SignedIn { get; private set; }

    private string? ViewerId { get; set; }

    /// <summary>Whether the viewer may delete this comment: its author, or the photo's owner.</summary>
    public bool MayDelete(CommentDto comment) => ViewerId is { } viewer && (comment.Author.Id == viewer || IsOwner);

    public async Task<IActionResult> OnGetAsync(long photoId, CancellationToken ct)
    {
        var viewer = CurrentUser.IdOf(User);
        if (await photos.GetDtoAsync(photoId, viewer, ct) is not { } photo)
        {
            return NotFound();
        }

        Photo = photo;
        SignedIn = viewer is not null;
        ViewerId = viewer is { } id ? Cursor.Write(id) : null;
        IsOwner = viewer is { } v && photo.Owner.Id == Cursor.Write(v);
        var rows = await store.ListCommentsAsync(photoId, 0, PhotoEndpoints.PageSize + 1, ct);
        Comments = await photos.CommentDtosAsync(rows.Take(PhotoEndpoints.PageSize).ToList(), ct);
        NextCommentsCursor = rows.Count > PhotoEndpoints.PageSize ? Cursor.Write(rows[PhotoEndpoints.PageSize - 1].Id) : null;
        return Page();
    }

    /// <summary>The comment's delete button (a plain form with the antiforgery token): back to the comments, or 403/404 as the API answers.</summary>
    public async Task<IActionResult> OnPostDeleteCommentAsync(long photoId, long commentId, CancellationToken ct)
    {
        if (CurrentUser.IdOf(User) is not { } viewer)
        {
            return Redirect("/signin?returnUrl=" + Uri.EscapeDataString($"/p/{photoId}"));
        }

        return await photos.DeleteCommentAsync(photoId, commentId, viewer, ct) switch
        {
            DeleteOutcome.Deleted => Redirect($"/p/{photoId}#comments"),
            DeleteOutcome.Forbidden => StatusCode(StatusCodes.Status403Forbidden),
            _ => NotFound(),
        };
    }
}
