using Scalegram.Data;

namespace Scalegram.Accounts;

/// <summary>Deletes sessions that ended (expired or revoked) over a day ago, so the sessions table holds live sessions only.</summary>
internal sealed class ExpiredSessionSweeper(SessionStore sessions, TimeProvider time, ILogger<ExpiredSessionSweeper> logger) : BatchSweeper(time)
{
    /// <summary>A day's grace: an operator can still see a recent logout or expiry.</summary>
    public static readonly TimeSpan RevokedKeptFor = TimeSpan.FromDays(1);

    protected override Task<int> DeleteBatchAsync(DateTimeOffset now, CancellationToken ct) => sessions.DeleteEndedAsync(now - RevokedKeptFor, Batch, ct);

    protected override void Swept(int total) => Log.Swept(logger, total);

    protected override void Failed(Exception exception) => Log.SweepFailed(logger, exception);
}
