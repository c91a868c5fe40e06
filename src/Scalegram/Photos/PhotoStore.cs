using System.Data.Common;
using System.Text.Json;
using Dapper;
using Scalegram.Data;

namespace Scalegram.Photos;

/// <summary>Photos, likes and comments, all on the photo owner's shard.</summary>
internal sealed class PhotoStore(Database db)
{
    /// <summary>How many rows a photo's like count is spread over (migration 009): enough that concurrent likes rarely wait on one row.</summary>
    public const int LikeCounterSlots = 16;

    private const string Columns =
        """
        p.id, p.owner_id, p.caption, p.filter, p.crop, p.status, p.failure_reason, p.original_key, p.variants, p.placeholder, p.created_at,
        (SELECT CAST(COALESCE(SUM(lc.n), 0) AS BIGINT) FROM like_counters lc WHERE lc.photo_id = p.id) AS likes,
        (SELECT COUNT(*) FROM comments c WHERE c.photo_id = p.id) AS comments
        """;

    public async Task InsertAsync(DbTransaction tx, PhotoRecord photo, long now, CancellationToken ct)
    {
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO photos (id, owner_id, caption, filter, crop, status, original_key, placeholder, created_at, updated_at)
            VALUES (@Id, @OwnerId, @Caption, @Filter, @Crop, @Status, @OriginalKey, @Placeholder, @CreatedAt, @now)
            """,
            new { photo.Id, photo.OwnerId, photo.Caption, photo.Filter, photo.Crop, photo.Status, photo.OriginalKey, photo.Placeholder, photo.CreatedAt, now },
            tx,
            cancellationToken: ct));
    }

    public Task<PhotoRecord?> GetAsync(long photoId, CancellationToken ct, bool fromPrimary = false)
    {
        var store = db.ForId(photoId);
        return (fromPrimary ? store.Primary : store.Replica).ReadAsync(
            (connection, token) => connection.QuerySingleOrDefaultAsync<PhotoRecord>(new CommandDefinition(
                $"SELECT {Columns} FROM photos p WHERE p.id = @photoId", new { photoId }, cancellationToken: token)),
            ct);
    }

    /// <summary>Many photos by ID: one query per store, whatever their number; missing ones are left out.</summary>
    public async Task<IReadOnlyDictionary<long, PhotoRecord>> GetManyAsync(IEnumerable<long> photoIds, CancellationToken ct)
    {
        var result = new Dictionary<long, PhotoRecord>();
        foreach (var group in photoIds.Distinct().GroupBy(db.ForId))
        {
            var rows = await group.Key.Replica.ReadAsync(
                (connection, token) => connection.QueryAsync<PhotoRecord>(new CommandDefinition(
                    $"SELECT {Columns} FROM photos p WHERE p.id {group.Key.Dialect.MatchesAny("@ids")}", new { ids = group.ToArray() }, cancellationToken: token)),
                ct);
            foreach (var row in rows)
            {
                result[row.Id] = row;
            }
        }

        return result;
    }

    /// <summary>An owner's photos, newest first, strictly older than <paramref name="before"/>; <paramref name="fromPrimary"/> for jobs.</summary>
    public async Task<IReadOnlyList<PhotoRecord>> ListByOwnerAsync(long ownerId, long before, int limit, bool includeUnfinished, CancellationToken ct, bool fromPrimary = false)
    {
        var store = db.ForId(ownerId);
        var rows = await (fromPrimary ? store.Primary : store.Replica).ReadAsync(
            (connection, token) => connection.QueryAsync<PhotoRecord>(new CommandDefinition(
                $"""
                SELECT {Columns} FROM photos p
                WHERE p.owner_id = @ownerId AND p.id < @before {(includeUnfinished ? "" : "AND p.status = 'ready'")}
                ORDER BY p.id DESC LIMIT @limit
                """,
                new { ownerId, before, limit },
                cancellationToken: token)),
            ct);
        return rows.AsList();
    }

    /// <summary>Marks a processing photo ready with its variants; false if it was not processing (already done, or deleted).</summary>
    public async Task<bool> MarkReadyAsync(DbTransaction tx, long photoId, IReadOnlyList<StoredVariant> variants, long now, CancellationToken ct, string? placeholder = null) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE photos SET status = 'ready', variants = @variants, placeholder = @placeholder, updated_at = @now WHERE id = @photoId AND status = 'processing'",
            new { photoId, variants = JsonSerializer.Serialize(variants, PhotoJson.Options), placeholder, now },
            tx,
            cancellationToken: ct)) == 1;

    public async Task<bool> MarkFailedAsync(long photoId, string reason, long now, CancellationToken ct)
    {
        await using var connection = await db.ForId(photoId).Primary.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE photos SET status = 'failed', failure_reason = @reason, updated_at = @now WHERE id = @photoId AND status = 'processing'",
            new { photoId, reason, now },
            cancellationToken: ct)) == 1;
    }

    /// <summary>Deletes a photo with its likes and comments; returns the deleted row (null if it was not there).</summary>
    public async Task<PhotoRecord?> DeleteAsync(DbTransaction tx, long photoId, CancellationToken ct)
    {
        var photo = await tx.Connection!.QuerySingleOrDefaultAsync<PhotoRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM photos p WHERE p.id = @photoId", new { photoId }, tx, cancellationToken: ct));
        if (photo is not null)
        {
            await tx.Connection!.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM likes WHERE photo_id = @photoId;
                DELETE FROM like_counters WHERE photo_id = @photoId;
                DELETE FROM comments WHERE photo_id = @photoId;
                DELETE FROM photos WHERE id = @photoId;
                """,
                new { photoId },
                tx,
                cancellationToken: ct));
        }

        return photo;
    }

    /// <summary>
    /// Records (or removes) one user's like, idempotently: the likes row is the truth of who liked, and only a
    /// row actually added or removed moves the count, by ±1 on one of <see cref="LikeCounterSlots"/> counter rows
    /// picked at random, in the same transaction. True if something changed.
    /// </summary>
    public async Task<bool> LikeAsync(long photoId, long userId, long now, bool like, CancellationToken ct)
    {
        await using var connection = await db.ForId(photoId).Primary.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            like
                ? "INSERT INTO likes (photo_id, user_id, created_at) SELECT @photoId, @userId, @now WHERE EXISTS (SELECT 1 FROM photos WHERE id = @photoId) ON CONFLICT DO NOTHING"
                : "DELETE FROM likes WHERE photo_id = @photoId AND user_id = @userId",
            new { photoId, userId, now },
            tx,
            cancellationToken: ct)) == 1;
        if (changed)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO like_counters (photo_id, slot, n) VALUES (@photoId, @slot, @delta) ON CONFLICT (photo_id, slot) DO UPDATE SET n = like_counters.n + excluded.n",
                new { photoId, slot = Random.Shared.Next(LikeCounterSlots), delta = like ? 1L : -1L },
                tx,
                cancellationToken: ct));
        }

        await tx.CommitAsync(ct);
        return changed;
    }

    /// <summary>Which of these photos <paramref name="userId"/> has liked: one query per store, not one per photo.</summary>
    public async Task<IReadOnlySet<long>> LikedAmongAsync(IEnumerable<long> photoIds, long userId, CancellationToken ct)
    {
        var liked = new HashSet<long>();
        foreach (var group in photoIds.Distinct().GroupBy(db.ForId))
        {
            liked.UnionWith(await group.Key.Replica.ReadAsync(
                (connection, token) => connection.QueryAsync<long>(new CommandDefinition(
                    $"SELECT photo_id FROM likes WHERE user_id = @userId AND photo_id {group.Key.Dialect.MatchesAny("@ids")}",
                    new { userId, ids = group.ToArray() },
                    cancellationToken: token)),
                ct));
        }

        return liked;
    }

    /// <summary>
    /// Adds the comment unless its photo is gone (null). With a write key, a comment an earlier run of the
    /// same keyed request already committed is returned instead of adding a second one.
    /// </summary>
    public async Task<CommentRecord?> AddCommentAsync(CommentRecord comment, WriteKey? key, CancellationToken ct)
    {
        await using var connection = await db.ForId(comment.PhotoId).Primary.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (key is not null && await WriteKeys.ClaimAsync(tx, key, comment.Id, comment.CreatedAt, ct) is { } earlier)
        {
            var existing = await connection.QuerySingleOrDefaultAsync<CommentRecord>(new CommandDefinition(
                "SELECT id, photo_id, author_id, text, created_at FROM comments WHERE id = @earlier",
                new { earlier },
                tx,
                cancellationToken: ct));
            await tx.RollbackAsync(ct);
            return existing;
        }

        var added = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO comments (id, photo_id, author_id, text, created_at)
            SELECT @Id, @PhotoId, @AuthorId, @Text, @CreatedAt WHERE EXISTS (SELECT 1 FROM photos WHERE id = @PhotoId)
            """,
            comment,
            tx,
            cancellationToken: ct));
        if (added != 1)
        {
            await tx.RollbackAsync(ct);
            return null;
        }

        await tx.CommitAsync(ct);
        return comment;
    }

    /// <summary>One comment of a photo, from the primary (to decide a delete on), or null.</summary>
    public async Task<CommentRecord?> GetCommentAsync(long photoId, long commentId, CancellationToken ct)
    {
        await using var connection = await db.ForId(photoId).Primary.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<CommentRecord>(new CommandDefinition(
            "SELECT id, photo_id, author_id, text, created_at FROM comments WHERE id = @commentId AND photo_id = @photoId",
            new { photoId, commentId },
            cancellationToken: ct));
    }

    public async Task<bool> DeleteCommentAsync(long photoId, long commentId, CancellationToken ct)
    {
        await using var connection = await db.ForId(photoId).Primary.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM comments WHERE id = @commentId AND photo_id = @photoId", new { photoId, commentId }, cancellationToken: ct)) == 1;
    }

    /// <summary>How many photos an owner has (any status): the upload quota counts them.</summary>
    public Task<long> CountByOwnerAsync(long ownerId, CancellationToken ct) =>
        db.ForId(ownerId).Primary.ReadAsync(
            (connection, token) => connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM photos WHERE owner_id = @ownerId", new { ownerId }, cancellationToken: token)),
            ct);

    /// <summary>Deletes up to <paramref name="limit"/> of a user's likes on one store; returns the photos they were on.</summary>
    public static async Task<IReadOnlyList<long>> DeleteLikesByAsync(PhysicalStore store, long userId, int limit, CancellationToken ct)
    {
        await using var connection = await store.Primary.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var rows = (await connection.QueryAsync<long>(new CommandDefinition(
            """
            DELETE FROM likes WHERE user_id = @userId AND photo_id IN (SELECT photo_id FROM likes WHERE user_id = @userId LIMIT @limit)
            RETURNING photo_id
            """,
            new { userId, limit },
            tx,
            cancellationToken: ct))).AsList();

        // Each removed like takes one off its photo's count, in the same transaction, as an unlike does.
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO like_counters (photo_id, slot, n) VALUES (@photoId, @slot, -1) ON CONFLICT (photo_id, slot) DO UPDATE SET n = like_counters.n + excluded.n",
            rows.Select(photoId => new { photoId, slot = Random.Shared.Next(LikeCounterSlots) }),
            tx,
            cancellationToken: ct));
        await tx.CommitAsync(ct);
        return rows;
    }

    /// <summary>Deletes up to <paramref name="limit"/> of a user's comments on one store; returns the photos they were on.</summary>
    public static async Task<IReadOnlyList<long>> DeleteCommentsByAsync(PhysicalStore store, long userId, int limit, CancellationToken ct)
    {
        await using var connection = await store.Primary.OpenAsync(ct);
        var rows = await connection.QueryAsync<long>(new CommandDefinition(
            "DELETE FROM comments WHERE id IN (SELECT id FROM comments WHERE author_id = @userId LIMIT @limit) RETURNING photo_id",
            new { userId, limit },
            cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Comments oldest first, strictly after <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<CommentRecord>> ListCommentsAsync(long photoId, long after, int limit, CancellationToken ct)
    {
        var rows = await db.ForId(photoId).Replica.ReadAsync(
            (connection, token) => connection.QueryAsync<CommentRecord>(new CommandDefinition(
                "SELECT id, photo_id, author_id, text, created_at FROM comments WHERE photo_id = @photoId AND id > @after ORDER BY id LIMIT @limit",
                new { photoId, after, limit },
                cancellationToken: token)),
            ct);
        return rows.AsList();
    }
}

/// <summary>A comment row, stored beside its photo.</summary>
internal sealed class CommentRecord
{
    public long Id { get; init; }

    public long PhotoId { get; init; }

    public long AuthorId { get; init; }

    public string Text { get; init; } = "";

    public long CreatedAt { get; init; }
}

/// <summary>How variant lists are stored in the photos table; golden-tested, as workers and web nodes deploy apart.</summary>
internal static class PhotoJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<StoredVariant> ReadVariants(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<StoredVariant>>(json, Options) ?? [];
}
