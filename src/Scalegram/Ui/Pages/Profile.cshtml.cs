using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Scalegram.Accounts;
using Scalegram.Photos;
using Scalegram.Social;
using Scalegram.Web;

namespace Scalegram.Ui.Pages;

/// <summary>/u/{username} — a profile: initial, names, counts, follow button and a grid of thumbnails (of a private account: for its owner and approved followers only).</summary>
internal sealed class ProfileModel(AccountService accounts, FollowStore follows, FollowRequestStore requests, Audience audience, PhotoStore store, PhotoService photos) : PageModel
{
    public User Owner { get; private set; } = null!;

    public ProfileCounts Counts { get; private set; } = null!;

    /// <summary>Null when nobody is signed in or it is the viewer's own profile.</summary>
    public bool? FollowedByMe { get; private set; }

    public bool IsMe { get; private set; }

    public bool IsPrivate { get; private set; }

    /// <summary>Whether the viewer may see the photos (false: a private account the viewer does not follow).</summary>
    public bool CanSeePhotos { get; private set; }

    /// <summary>Whether the viewer's request to follow this private account is pending.</summary>
    public bool Requested { get; private set; }

    public bool SignedIn { get; private set; }

    public IReadOnlyList<PhotoDto> Photos { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public async Task<IActionResult> OnGetAsync(string username, CancellationToken ct)
    {
        if (await accounts.FindByUsernameAsync(username, ct) is not { } owner)
        {
            return NotFound();
        }

        Owner = owner;
        Counts = await accounts.CountsAsync(owner.Id, ct);
        var viewer = CurrentUser.IdOf(User);
        SignedIn = viewer is not null;
        IsMe = viewer == owner.Id;
        FollowedByMe = viewer is { } v && !IsMe ? await follows.IsFollowingAsync(v, owner.Id, ct) : null;
        IsPrivate = await audience.IsPrivateAsync(owner.Id, ct);
        CanSeePhotos = await audience.CanSeeAsync(viewer, owner.Id, ct);
        Requested = IsPrivate && FollowedByMe == false && await requests.IsPendingAsync(owner.Id, viewer!.Value, ct);
        if (!CanSeePhotos)
        {
            return Page();
        }

        var rows = await store.ListByOwnerAsync(owner.Id, long.MaxValue, PhotoEndpoints.PageSize + 1, includeUnfinished: IsMe, ct);
        Photos = await photos.ToDtosAsync(rows.Take(PhotoEndpoints.PageSize).ToList(), viewer, ct);
        NextCursor = rows.Count > PhotoEndpoints.PageSize ? Cursor.Write(rows[PhotoEndpoints.PageSize - 1].Id) : null;
        return Page();
    }
}
