using Scalegram.Web;

namespace Scalegram.Accounts;

/// <summary>Resolves session tokens for the web tier: the session from the database, the user through the cache.</summary>
internal sealed class AccountSessions(SessionStore sessions, AccountService accounts) : ISessionResolver
{
    public async Task<SessionUser?> ResolveAsync(string token, CancellationToken ct)
    {
        var userId = await sessions.ValidateAsync(token, ct);
        var user = userId is { } id ? await accounts.GetUserAsync(id, ct) : null;
        return user is null ? null : new SessionUser(user.Id, user.Username, user.IsAdmin);
    }
}
