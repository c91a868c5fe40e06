namespace Scalegram.Jobs;

/// <summary>account.delete: the deleted account, its name and when the name's quarantine ends (Unix ms).</summary>
internal sealed record AccountDeletionJob(long UserId, string Username, long ReleasedAt);
