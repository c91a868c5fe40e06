namespace Scalegram.Web;

/// <summary>Turns a session token into the signed-in user for the web tier's authentication; the accounts feature implements it.</summary>
internal interface ISessionResolver
{
    /// <summary>The user of a live session, or null for an unknown, expired or revoked token.</summary>
    Task<SessionUser?> ResolveAsync(string token, CancellationToken ct);
}

/// <summary>What a request's principal carries about its user.</summary>
internal sealed record SessionUser(long Id, string Username, bool IsAdmin);
