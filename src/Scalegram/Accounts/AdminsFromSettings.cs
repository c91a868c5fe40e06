using Microsoft.Extensions.Options;
using Scalegram.Web;

namespace Scalegram.Accounts;

/// <summary>
/// Web:Admins (comma-separated account IDs) become administrators at start-up, like `scalegram admin grant NAME`.
/// IDs, not names: an ID exists only once its account does and cannot be claimed by signing up, so listing
/// one is the operator confirming that account. An ID without an account grants nothing (a warning says so).
/// </summary>
internal sealed class AdminsFromSettings(IOptions<WebOptions> web, IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<AdminsFromSettings> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Once every hosted service has started, so the stores are migrated.
        lifetime.ApplicationStarted.Register(() => _ = GrantAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task GrantAsync(CancellationToken cancellationToken)
    {
        try
        {
            var accounts = services.GetRequiredService<AccountService>();
            foreach (var id in web.Value.AdminIds)
            {
                if (!await accounts.SetAdminAsync(id, true, cancellationToken))
                {
                    Log.AdminWithoutAccount(logger, id);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.AdminsNotGranted(logger, e);
        }
    }
}
