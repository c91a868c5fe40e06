using Scalegram.Caching;
using Scalegram.Data;
using Scalegram.Data.Replication;

namespace Scalegram.Web;

/// <summary>
/// Read-your-writes for signed-in users (cookie or Bearer alike): reads of a request go only to standbys that
/// have replayed the user's own earlier writes (marks kept per user by <see cref="WriteMarks"/>, shared by all
/// nodes through Redis), else to the primary. A request that may write (not GET/HEAD/OPTIONS) records, before
/// its response starts, where each store's primary stood after its writes: the client cannot send its next
/// request before the mark is stored. Only runs when some store has replicas.
/// </summary>
internal sealed class ReadYourWrites(RequestDelegate next, Database db, WriteMarks marks, ILogger<ReadYourWrites> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (!db.Replicated || CurrentUser.IdOf(http.User) is not { } userId)
        {
            await next(http);
            return;
        }

        var method = http.Request.Method;
        var mayWrite = !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));
        var session = new ReadYourWritesSession(ct => marks.GetAsync(userId, ct), mayWrite);
        if (mayWrite)
        {
            http.Response.OnStarting(() => RecordAsync(session, userId, http.RequestAborted));
        }

        using (ReadScope.Enter(session))
        {
            await next(http);
        }
    }

    private async Task RecordAsync(ReadYourWritesSession session, long userId, CancellationToken ct)
    {
        var written = session.WrittenStores;
        if (written.Count == 0)
        {
            return;
        }

        try
        {
            var positions = new Dictionary<string, Lsn>();
            foreach (var store in db.Stores.Where(s => s.Replicas is not null && written.Contains(s.Name)))
            {
                positions[store.Name] = await store.Replicas!.CurrentPositionAsync(ct);
            }

            if (positions.Count > 0 && !await marks.RaiseAsync(userId, positions, ct))
            {
                Log.ReadYourWritesNotRecorded(logger, userId, null);
            }
        }
        catch (Exception e) when (FailoverErrors.IsFailover(e))
        {
            // The primary is away, so the write most likely failed too (and answers 503).
            Log.ReadYourWritesNotRecorded(logger, userId, e);
        }
    }
}
