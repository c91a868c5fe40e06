using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalegram.Web;

namespace Scalegram.Accounts;

/// <summary>Registers accounts and sessions: sign-up, sign-in, profiles, and the session resolver the web tier authenticates with.</summary>
internal static class AccountsFeature
{
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Caching.EntityBatchCache>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, AccountJsonContext.Default));
        services.AddSingleton<AccountStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<AccountDeletion>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<ISessionResolver, AccountSessions>();
        return services;
    }

    /// <summary>Web:Admins, the stored-name check and the expired-session sweep; web roles only.</summary>
    public static IServiceCollection AddAccountsOnWeb(this IServiceCollection services)
    {
        services.AddHostedService<AdminsFromSettings>();
        services.AddSingleton<StoredUsernameCheck>();
        services.AddHostedService(sp => sp.GetRequiredService<StoredUsernameCheck>());
        services.AddHostedService<ExpiredSessionSweeper>();
        return services;
    }
}
