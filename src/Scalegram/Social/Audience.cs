using Scalegram.Accounts;

namespace Scalegram.Social;

/// <summary>
/// Who may see an account's photos: everyone when it is public; when it is private, its owner and
/// its approved followers only (a pending request is not enough); nobody once the account is deleted.
/// </summary>
internal sealed class Audience(PrivacyStore privacy, FollowStore follows, AccountService accounts)
{
    public async Task<bool> CanSeeAsync(long? viewerId, long ownerId, CancellationToken ct)
    {
        // A deleted account's photos vanish for everyone at once, before the deletion job has erased them.
        if (await accounts.GetUserAsync(ownerId, ct) is null)
        {
            return false;
        }

        if (viewerId == ownerId || !await privacy.IsPrivateAsync(ownerId, ct))
        {
            return true;
        }

        return viewerId is { } viewer && await follows.IsFollowingAsync(viewer, ownerId, ct);
    }

    public Task<bool> IsPrivateAsync(long ownerId, CancellationToken ct) => privacy.IsPrivateAsync(ownerId, ct);

    public Task<IReadOnlySet<long>> PrivateAmongAsync(IReadOnlyCollection<long> ownerIds, CancellationToken ct) => privacy.PrivateAmongAsync(ownerIds, ct);

    /// <summary>Of these owners, those the viewer may see (<see cref="CanSeeAsync"/> for each): at most two batched reads.</summary>
    public async Task<IReadOnlySet<long>> VisibleOwnersAsync(long? viewerId, IReadOnlyCollection<long> ownerIds, CancellationToken ct)
    {
        var privateOwners = await privacy.PrivateAmongAsync(ownerIds, ct);
        var visible = ownerIds.Where(o => o == viewerId || !privateOwners.Contains(o)).ToHashSet();
        var toCheck = ownerIds.Where(o => !visible.Contains(o)).ToList();
        if (toCheck.Count > 0 && viewerId is { } viewer)
        {
            visible.UnionWith(await follows.FollowingAmongAsync(viewer, toCheck, ct));
        }

        return visible;
    }
}
