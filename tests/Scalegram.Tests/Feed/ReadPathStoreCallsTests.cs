using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Accounts;
using Scalegram.Data;
using Scalegram.Data.Ids;
using Scalegram.Data.Sharding;
using Scalegram.Feed;
using Scalegram.Photos;
using Scalegram.Social;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Feed;

/// <summary>
/// No N+1 on the read path: a feed page, a comment list and a profile grid each cost the same number of store
/// calls for 5 items as for 30 — with the cache off, so every read reaches the database and a per-item lookup
/// (one photo per timeline entry, one author per comment, one owner per photo) would show as 25 more calls.
/// The items come from 30 different accounts, some private (followed by the reader), so owner lookups are batched too.
/// </summary>
public class ReadPathStoreCallsTests : ApiTestBase
{
    private const int Few = 5;
    private const int Many = 30;

    protected override string[] Settings => ["--Caching:Disabled=true"];

    [Fact]
    public async Task A_feed_page_costs_the_same_store_calls_for_5_photos_as_for_30()
    {
        var seed = await SeedAsync();
        var feed = Server.Services.GetRequiredService<FeedService>();
        (IReadOnlyList<PhotoDto> Items, long? Next) few = ([], null), many = ([], null);

        var fewCalls = await DbCalls.DuringAsync(Server, async () => few = await feed.PageAsync(seed.Reader, long.MaxValue, Few, CancellationToken.None));
        var manyCalls = await DbCalls.DuringAsync(Server, async () => many = await feed.PageAsync(seed.Reader, long.MaxValue, Many, CancellationToken.None));

        Assert.Equal(Few, few.Items.Count);
        Assert.NotNull(few.Next);
        Assert.Equal(Many, many.Items.Count);
        Assert.Equal(Many, many.Items.Select(p => p.Owner.Id).Distinct().Count());
        Assert.All(many.Items, p => Assert.NotEqual("", p.Owner.Username));
        Assert.Equal(fewCalls, manyCalls);
    }

    [Fact]
    public async Task A_comment_list_costs_the_same_store_calls_for_5_authors_as_for_30()
    {
        var seed = await SeedAsync();
        var store = Server.Services.GetRequiredService<PhotoStore>();
        var photos = Server.Services.GetRequiredService<PhotoService>();
        var ids = Server.Services.GetRequiredService<IdGenerator>();
        var photo = seed.Photos[0];
        foreach (var author in seed.Owners)
        {
            await store.AddCommentAsync(
                new CommentRecord { Id = ids.Next(ScalegramId.ShardOf(photo)), PhotoId = photo, AuthorId = author, Text = "nice", CreatedAt = 1 }, null, CancellationToken.None);
        }

        async Task<IReadOnlyList<CommentDto>> ListAsync(int count) =>
            await photos.CommentDtosAsync(await store.ListCommentsAsync(photo, 0, count, CancellationToken.None), CancellationToken.None);
        IReadOnlyList<CommentDto> few = [], many = [];

        var fewCalls = await DbCalls.DuringAsync(Server, async () => few = await ListAsync(Few));
        var manyCalls = await DbCalls.DuringAsync(Server, async () => many = await ListAsync(Many));

        Assert.Equal(Few, few.Count);
        Assert.Equal(Many, many.Select(c => c.Author.Id).Distinct().Count());
        Assert.All(many, c => Assert.NotEqual("", c.Author.Username));
        Assert.Equal(fewCalls, manyCalls);
    }

    [Fact]
    public async Task A_profile_grid_costs_the_same_store_calls_for_5_photos_as_for_30()
    {
        var seed = await SeedAsync(photosOfFirstOwner: Many);
        var store = Server.Services.GetRequiredService<PhotoStore>();
        var photos = Server.Services.GetRequiredService<PhotoService>();
        var owner = seed.Owners[0];

        async Task<IReadOnlyList<PhotoDto>> GridAsync(int count) =>
            await photos.ToDtosAsync(await store.ListByOwnerAsync(owner, long.MaxValue, count, includeUnfinished: false, CancellationToken.None), seed.Reader, CancellationToken.None);
        IReadOnlyList<PhotoDto> few = [], many = [];

        var fewCalls = await DbCalls.DuringAsync(Server, async () => few = await GridAsync(Few));
        var manyCalls = await DbCalls.DuringAsync(Server, async () => many = await GridAsync(Many));

        Assert.Equal(Few, few.Count);
        Assert.Equal(Many, many.Count);
        Assert.Equal(fewCalls, manyCalls);
    }

    /// <summary>
    /// 30 accounts with one ready photo each (every third private, and followed by the reader), all in the reader's
    /// timeline; written straight to the stores, so no upload pipeline runs.
    /// </summary>
    private async Task<Seed> SeedAsync(int photosOfFirstOwner = 1)
    {
        var services = Server.Services;
        var db = services.GetRequiredService<Database>();
        var accounts = services.GetRequiredService<AccountStore>();
        var photos = services.GetRequiredService<PhotoStore>();
        var timeline = services.GetRequiredService<TimelineStore>();
        var privacy = services.GetRequiredService<PrivacyStore>();
        var follows = services.GetRequiredService<FollowStore>();
        var ids = services.GetRequiredService<IdGenerator>();
        var ct = CancellationToken.None;

        async Task<long> UserAsync(string name)
        {
            var id = ids.Next(LogicalShard.ForNewUser(Username.Key(name)));
            Assert.True(await accounts.TryCreateAsync(new User { Id = id, Username = name, DisplayName = name, PasswordHash = "x", CreatedAt = 1 }, ct));
            return id;
        }

        var reader = await UserAsync("reader");
        var owners = new List<long>();
        var posted = new List<(long PhotoId, long OwnerId)>();
        for (var i = 0; i < Many; i++)
        {
            var owner = await UserAsync($"owner{i}");
            owners.Add(owner);
            if (i % 3 == 0)
            {
                await privacy.SetAsync(owner, true, 1, ct);
                await using var connection = await db.ForId(reader).Primary.OpenAsync(ct);
                await using var tx = await connection.BeginTransactionAsync(ct);
                await follows.AddFollowingAsync(tx, reader, owner, 1, ct);
                await tx.CommitAsync(ct);
            }

            for (var p = 0; p < (i == 0 ? photosOfFirstOwner : 1); p++)
            {
                var photoId = ids.Next(ScalegramId.ShardOf(owner));
                await using var connection = await db.ForId(photoId).Primary.OpenAsync(ct);
                await using var tx = await connection.BeginTransactionAsync(ct);
                await photos.InsertAsync(tx, new PhotoRecord { Id = photoId, OwnerId = owner, Status = PhotoStatus.Ready, OriginalKey = $"originals/{photoId}.jpg", CreatedAt = 1 }, 1, ct);
                await tx.CommitAsync(ct);
                posted.Add((photoId, owner));
            }
        }

        // One photo per owner in the reader's timeline (30 owners), newest first by ID.
        await timeline.AddManyAsync(reader, posted.GroupBy(p => p.OwnerId).Select(g => g.First()), ct);
        return new Seed(reader, owners, [.. posted.Select(p => p.PhotoId)]);
    }

    private sealed record Seed(long Reader, IReadOnlyList<long> Owners, IReadOnlyList<long> Photos);
}

/// <summary>The same on PostgreSQL: its batched reads use = ANY(@ids) where SQLite uses IN.</summary>
public sealed class ReadPathStoreCallsTestsOnPostgres : ReadPathStoreCallsTests
{
    protected override TestEngine Engine => TestEngine.Postgres;
}
