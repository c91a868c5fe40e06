namespace Scalegram.Social;

/// <summary>
/// Turns an account private or public. Private: listeners withdraw what was public (the photos' public
/// media URLs are purged from the edge). Public again: pending requests are approved, as no approval is needed any more.
/// </summary>
internal sealed class PrivacyService(
    PrivacyStore privacy,
    FollowRequestStore requests,
    FollowService follows,
    TimeProvider time,
    IEnumerable<IPrivacyListener> listeners)
{
    private const int Batch = 200;

    public async Task SetAsync(long userId, bool isPrivate, CancellationToken ct)
    {
        // Listeners run even when nothing changed: a retried request finishes what a failed one began.
        await privacy.SetAsync(userId, isPrivate, time.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        if (isPrivate)
        {
            foreach (var listener in listeners)
            {
                await listener.BecamePrivateAsync(userId, ct);
            }

            return;
        }

        while (true)
        {
            var pending = await requests.ListAsync(userId, 0, Batch, ct);
            foreach (var request in pending)
            {
                await follows.ApproveAsync(userId, request.RequesterId, ct);
            }

            if (pending.Count < Batch)
            {
                return;
            }
        }
    }
}
