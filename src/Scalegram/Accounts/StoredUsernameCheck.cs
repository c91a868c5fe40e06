namespace Scalegram.Accounts;

/// <summary>
/// At start-up, reports (as errors naming the user) stored usernames that today's rules refuse: names
/// ending in a line break, which the old `$`-anchored pattern accepted. They are reported, not changed:
/// renaming someone is an operator's decision. `scalegram` keeps serving meanwhile.
/// </summary>
internal sealed class StoredUsernameCheck(AccountStore store, IHostApplicationLifetime lifetime, ILogger<StoredUsernameCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Once every hosted service has started, so the stores are migrated.
        lifetime.ApplicationStarted.Register(() => _ = CheckAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The stored names that break the rules (each also logged).</summary>
    public async Task<IReadOnlyList<(string Key, long UserId)>> FindAsync(CancellationToken ct)
    {
        var bad = (await store.NamesEndingInLineBreakAsync(ct)).Where(n => !Username.TryValidate(n.Key, out _)).ToList();
        foreach (var (key, userId) in bad)
        {
            Log.BadStoredUsername(logger, key.ReplaceLineEndings("\\n"), userId);
        }

        return bad;
    }

    private async Task CheckAsync(CancellationToken ct)
    {
        try
        {
            await FindAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.StoredUsernameCheckFailed(logger, e);
        }
    }
}
