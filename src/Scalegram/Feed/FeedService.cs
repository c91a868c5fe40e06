using Scalegram.Photos;

namespace Scalegram.Feed;

/// <summary>
/// Reads the home feed: a page of the timeline, each photo through the cache, newest first. Entries of a
/// private account the reader does not (or no longer) follow are skipped at read time, whatever the timeline holds.
/// </summary>
internal sealed class FeedService(TimelineStore timeline, PhotoService photos)
{
    public async Task<(IReadOnlyList<PhotoDto> Items, long? NextCursor)> PageAsync(long userId, long before, int size, CancellationToken ct)
    {
        var records = new List<PhotoRecord>(size);
        var allowed = new Dictionary<long, bool>();
        var cursor = before;
        while (true)
        {
            // Entries of deleted or failed photos are skipped, so read on until the page is full.
            var ids = await timeline.PageAsync(userId, cursor, size, ct);
            foreach (var id in ids)
            {
                cursor = id;
                var photo = await photos.GetAsync(id, ct);
                if (photo is not null && (photo.Status == PhotoStatus.Ready || photo.OwnerId == userId) && await MaySeeAsync(photo.OwnerId))
                {
                    records.Add(photo);
                    if (records.Count == size)
                    {
                        var more = (await timeline.PageAsync(userId, cursor, 1, ct)).Count > 0;
                        return (await photos.ToDtosAsync(records, userId, ct), more ? cursor : null);
                    }
                }
            }

            if (ids.Count < size)
            {
                return (await photos.ToDtosAsync(records, userId, ct), null);
            }
        }

        async Task<bool> MaySeeAsync(long ownerId)
        {
            if (!allowed.TryGetValue(ownerId, out var may))
            {
                allowed[ownerId] = may = await photos.CanSeeOwnerAsync(userId, ownerId, ct);
            }

            return may;
        }
    }
}
