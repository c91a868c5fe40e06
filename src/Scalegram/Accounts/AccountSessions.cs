using Scalegram.Web;

namespace Scalegram.Accounts;

/// <summary>Resolves session tokens for the web tier: the session from the database, the user through the cache.</summary>
internal sealed class AccountSessions(SessionStore sessions, AccountService accounts) : ISessionResolver
{
    public async Task<SessionUser?> ResolveAsync(string token, CancellationToken ct)
    {
        var session = await sessions.ResolveAsync(token, ct);
        var user = session is null ? null : await accounts.GetUserAsync(session.UserId, ct);
        return user is null ? null : new SessionUser(user.Id, user.Username, user.IsAdmin);
    }
}
