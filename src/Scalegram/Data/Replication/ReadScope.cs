namespace Scalegram.Data.Replication;

/// <summary>
/// What the current async flow requires of the reads it sends to <c>db.Replica</c>, set around a flow
/// rather than passed through every store method: a cache fill reads the primary (the value may stay cached
/// for minutes, so it must not be older than the write that invalidated it); a signed-in request reads
/// only from standbys that have replayed the user's own writes.
/// </summary>
internal static class ReadScope
{
    private static readonly AsyncLocal<bool> FreshOnly = new();
    private static readonly AsyncLocal<ReadYourWritesSession?> SessionSlot = new();

    /// <summary>True inside <see cref="Fresh"/>: replica reads go to the primary.</summary>
    public static bool PrimaryRequired => FreshOnly.Value;

    /// <summary>The signed-in user's read-your-writes session, if the web tier opened one for this request.</summary>
    public static ReadYourWritesSession? Session => SessionSlot.Value;

    /// <summary>Until disposed, this flow's replica reads go to the primary.</summary>
    public static Restore Fresh()
    {
        var previous = FreshOnly.Value;
        FreshOnly.Value = true;
        return new Restore(() => FreshOnly.Value = previous);
    }

    /// <summary>Until disposed, this flow's replica reads honour <paramref name="session"/>.</summary>
    public static Restore Enter(ReadYourWritesSession session)
    {
        var previous = SessionSlot.Value;
        SessionSlot.Value = session;
        return new Restore(() => SessionSlot.Value = previous);
    }

    /// <summary>Puts the previous value back.</summary>
    public readonly struct Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
