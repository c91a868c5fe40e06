using System.Globalization;
using System.Runtime.CompilerServices;
using Scalegram.Accounts;
using Scalegram.Data.Replication;
using Scalegram.Imaging;

namespace Scalegram.Photos;

/// <summary>Photos and comments as the API answers them: visibility, media URLs (signed for private owners), the reader's likes.</summary>
internal sealed partial class PhotoService
{
    /// <summary>Public variants' DTOs per cached photo record, and the edge state they were made under.</summary>
    private static readonly ConditionalWeakTable<PhotoRecord, PublicVariantsMemo> PublicVariants = new();

    public async Task<PhotoDto?> GetDtoAsync(long photoId, long? viewerId, CancellationToken ct)
    {
        var photo = await GetVisibleAsync(photoId, viewerId, ct);
        return photo is null ? null : (await ToDtosAsync([photo], viewerId, ct))[0];
    }

    public async Task<IReadOnlyList<PhotoDto>> ToDtosAsync(IReadOnlyList<PhotoRecord> photos, long? viewerId, CancellationToken ct)
    {
        // The owners and their privacy in a batch each: a constant number of store calls whatever the page size.
        var ownerIds = photos.Select(p => p.OwnerId).Distinct().ToList();
        var owners = await accounts.GetUsersAsync(ownerIds, ct);
        var privateOwners = await audience.PrivateAmongAsync(ownerIds, ct);

        var result = new List<PhotoDto>(photos.Count);
        var likedByViewer = viewerId is { } viewer ? await LikedAmongAsync(photos, viewer, ct) : null;
        foreach (var p in photos)
        {
            var owner = owners.GetValueOrDefault(p.OwnerId);
            bool? liked = likedByViewer?.Contains(p.Id);

            // A private account's media only ever leave as short-lived signed URLs, made per answer; a public
            // photo's URLs are the same for every reader while the edge's health stays the same, so they are made
            // once per cached record (the memo goes with the record when the cache drops or replaces it).
            IReadOnlyList<VariantDto> variants;
            if (privateOwners.Contains(p.OwnerId))
            {
                variants = await VariantsAsync(p, signed: true, ct);
            }
            else
            {
                var edgeUp = media.EdgeUp;
                if (!PublicVariants.TryGetValue(p, out var memo) || memo.EdgeUp != edgeUp)
                {
                    memo = new PublicVariantsMemo(edgeUp, await VariantsAsync(p, signed: false, ct));
                    PublicVariants.AddOrUpdate(p, memo);
                }

                variants = memo.Variants;
            }

            result.Add(new PhotoDto(
                Id: p.Id.ToString(CultureInfo.InvariantCulture),
                Owner: new UserSummary(p.OwnerId.ToString(CultureInfo.InvariantCulture), owner?.Username ?? "", owner?.DisplayName ?? ""),
                Caption: p.Caption,
                Filter: p.Filter ?? Filters.None,
                Status: p.Status,
                FailureReason: p.FailureReason,
                Variants: variants,
                Likes: p.Likes,
                Comments: p.Comments,
                LikedByMe: liked,
                CreatedAt: DateTimeOffset.FromUnixTimeMilliseconds(p.CreatedAt),
                Placeholder: p.Placeholder));
        }

        return result;
    }

    private async Task<IReadOnlyList<VariantDto>> VariantsAsync(PhotoRecord photo, bool signed, CancellationToken ct)
    {
        var variants = new List<VariantDto>(photo.VariantList.Count);
        foreach (var x in photo.VariantList)
        {
            var url = signed ? await media.SignedForAsync(x.Key, ct) : media.For(x.Key);
            var sources = new List<SourceDto>((x.Alternates?.Count ?? 0) + 1);
            foreach (var alternate in x.Alternates ?? [])
            {
                sources.Add(new SourceDto(alternate.Type, signed ? await media.SignedForAsync(alternate.Key, ct) : media.For(alternate.Key)));
            }

            sources.Add(new SourceDto(ImageFormat.Jpeg.MediaType, url));
            variants.Add(new VariantDto(x.Name, x.Width, x.Height, url, sources));
        }

        return variants;
    }

    /// <summary>
    /// Which of these photos the viewer likes, through the cache (one entry per viewer and photo, kept exact by the
    /// viewer's own like/unlike on every node): a feed page's likes cost L1 lookups, not a query per page.
    /// </summary>
    private async Task<HashSet<long>> LikedAmongAsync(IReadOnlyList<PhotoRecord> photos, long viewer, CancellationToken ct)
    {
        var marks = await batch.GetOrLoadManyAsync<long, string>(
            photos.Select(p => p.Id),
            id => PhotoCacheKeys.Liked(viewer, id),
            async (ids, token) => (IReadOnlyDictionary<long, string>)(await store.LikedAmongAsync(ids, viewer, token)).ToDictionary(id => id, _ => PhotoCacheKeys.LikedMark),
            ct);
        return [.. marks.Where(m => m.Value is not null).Select(m => m.Key)];
    }

    /// <summary>Comments as sent; those of an account deleted a moment ago (not yet erased) are left out.</summary>
    public async Task<IReadOnlyList<CommentDto>> CommentDtosAsync(IReadOnlyList<CommentRecord> comments, CancellationToken ct)
    {
        var result = new List<CommentDto>(comments.Count);
        var authors = await accounts.GetUsersAsync(comments.Select(c => c.AuthorId), ct);
        foreach (var c in comments)
        {
            var author = authors.GetValueOrDefault(c.AuthorId);
            if (author is null)
            {
                continue; // a deleted account: its comments go with it
            }

            result.Add(new CommentDto(
                c.Id.ToString(CultureInfo.InvariantCulture),
                new UserSummary(c.AuthorId.ToString(CultureInfo.InvariantCulture), author.Username, author.DisplayName),
                c.Text,
                DateTimeOffset.FromUnixTimeMilliseconds(c.CreatedAt)));
        }

        return result;
    }
}
