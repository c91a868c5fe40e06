namespace Scalegram.Accounts;

/// <summary>The body of DELETE /api/me (and POST /api/me/deletion): the current password, asked again.</summary>
internal sealed record DeleteAccountRequest(string? Password);

/// <summary>The answer to a deletion: the account is gone; its data is being erased ("deleting").</summary>
internal sealed record AccountDeletionAccepted(string Status);
