using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Scalegram.Web;

namespace Scalegram.Accounts;

/// <summary>
/// Web:Admins (comma-separated usernames) become administrators: granted in the database at
/// start-up (like `scalegram admin grant`), and given the admin role at sign-in even when the
/// account was created after the node started.
/// </summary>
internal sealed class AdminsFromSettings(IOptions<WebOptions> web, IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<AdminsFromSettings> logger) : IHostedService
{
    public static IReadOnlySet<string> Parse(string? setting) =>
        (setting ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Username.Key).ToHashSet(StringComparer.Ordinal);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Once every hosted service has started, so the stores are migrated.
        lifetime.ApplicationStarted.Register(() => _ = GrantAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    private async Task GrantAsync(CancellationToken cancellationToken)
    {
        try
        {
            await GrantAllAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.AdminsNotGranted(logger, e);
        }
    }

    private async Task GrantAllAsync(CancellationToken cancellationToken)
    {
        var accounts = services.GetRequiredService<AccountService>();
        foreach (var name in Parse(web.Value.Admins))
        {
            if (!await accounts.SetAdminAsync(name, true, cancellationToken))
            {
                Log.AdminWithoutAccount(logger, name);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Adds the admin role to a signed-in user named in Web:Admins.</summary>
    public sealed class Claims(IOptions<WebOptions> web) : IClaimsTransformation
    {
        private readonly IReadOnlySet<string> _admins = Parse(web.Value.Admins);

        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            if (_admins.Count == 0 || principal.IsInRole("admin") || principal.Identity?.Name is not { } name || !_admins.Contains(Username.Key(name)))
            {
                return Task.FromResult(principal);
            }

            var copy = principal.Clone();
            ((ClaimsIdentity)copy.Identity!).AddClaim(new Claim(ClaimTypes.Role, "admin"));
            return Task.FromResult(copy);
        }
    }
}
