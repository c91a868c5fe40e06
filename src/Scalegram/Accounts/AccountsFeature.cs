using Scalegram.Web;

namespace Scalegram.Accounts;

/// <summary>Registers accounts and sessions: sign-up, sign-in, profiles, and the session resolver the web tier authenticates with.</summary>
internal static class AccountsFeature
{
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddSingleton<AccountStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<AccountService>();
        services.AddOptions<AccountDeletionOptions>().BindConfiguration(AccountDeletionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
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
