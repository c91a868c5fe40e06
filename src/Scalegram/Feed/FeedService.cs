using Scalegram.Photos;

namespace Scalegram.Feed;

/// <summary>
/// Reads the home feed: a page of the timeline, its photos through the cache in one batch, newest first. Entries
/// of a private account the reader does not (or no longer) follow are skipped at read time, whatever the timeline
/// holds. A page costs a constant number of store calls whatever its size: the timeline page (one entry more than
/// asked, which tells whether there is a next page), the photos missing from the cache, the owners' privacy and
/// follows, the owners, the reader's likes — each one query per store.
/// </summary>
internal sealed class FeedService(TimelineStore timeline, PhotoService photos)
{
    public async Task<(IReadOnlyList<PhotoDto> Items, long? NextCursor)> PageAsync(long userId, long before, int size, CancellationToken ct)
    {
        var records = new List<PhotoRecord>(size);
        var cursor = before;
        while (true)
        {
            // Entries of deleted or failed photos are skipped, so read on until the page is full.
            var wanted = size - records.Count;
            var ids = await timeline.PageAsync(userId, cursor, wanted + 1, ct);
            var batch = ids.Take(wanted).ToList();
            var found = await photos.GetManyAsync(batch, ct);
            var shown = found.Values.OfType<PhotoRecord>().Where(p => p.Status == PhotoStatus.Ready || p.OwnerId == userId).ToList();
            var visibleOwners = await photos.VisibleOwnersAsync(userId, [.. shown.Select(p => p.OwnerId).Distinct()], ct);
            foreach (var id in batch)
            {
                cursor = id;
                if (found.GetValueOrDefault(id) is { } photo && (photo.Status == PhotoStatus.Ready || photo.OwnerId == userId) && visibleOwners.Contains(photo.OwnerId))
                {
                    records.Add(photo);
                }
            }

            if (ids.Count <= wanted)
            {
                return (await photos.ToDtosAsync(records, userId, ct), null);
            }

            if (records.Count == size)
            {
                return (await photos.ToDtosAsync(records, userId, ct), cursor);
            }
        }
    }
}
