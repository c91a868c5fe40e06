using Microsoft.Extensions.DependencyInjection;
using Scalegram.Data;
using Scalegram.Data.Ids;
using Scalegram.Photos;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Photos;

/// <summary>
/// A cancelled token stops the store's queries themselves. The transaction-taking methods are used
/// on purpose: their connection is opened with a live token, so only the query can see the cancelled
/// one, and a query that ignored it would simply succeed.
/// </summary>
public class PhotoStoreCancellationTests : ApiTestBase
{
    private static readonly CancellationToken Cancelled = new(canceled: true);

    private Database Db => Server.Services.GetRequiredService<Database>();

    private PhotoStore Store => Server.Services.GetRequiredService<PhotoStore>();

    private PhotoRecord NewPhoto()
    {
        var id = Server.Services.GetRequiredService<IdGenerator>().Next(logicalShard: 3);
        return new PhotoRecord { Id = id, OwnerId = id, Caption = "c", Status = PhotoStatus.Processing, OriginalKey = $"o/{id}", CreatedAt = 1 };
    }

    /// <summary>Runs <paramref name="work"/> in a transaction on the photo's primary, then commits whatever it left.</summary>
    private async Task InTransactionAsync(long photoId, Func<System.Data.Common.DbTransaction, Task> work)
    {
        await using var connection = await Db.ForId(photoId).Primary.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync(CancellationToken.None);
        await work(tx);
        await tx.CommitAsync(CancellationToken.None);
    }

    private async Task InsertAsync(PhotoRecord photo) =>
        await InTransactionAsync(photo.Id, tx => Store.InsertAsync(tx, photo, 1, CancellationToken.None));

    [Fact]
    public async Task An_insert_given_a_cancelled_token_throws_and_writes_nothing()
    {
        var photo = NewPhoto();

        await InTransactionAsync(photo.Id, async tx =>
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.InsertAsync(tx, photo, 1, Cancelled)));

        Assert.Null(await Store.GetAsync(photo.Id, CancellationToken.None, fromPrimary: true));
    }

    [Fact]
    public async Task A_delete_given_a_cancelled_token_throws_at_its_first_query_and_keeps_the_photo()
    {
        var photo = NewPhoto();
        await InsertAsync(photo);

        await InTransactionAsync(photo.Id, async tx =>
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.DeleteAsync(tx, photo.Id, Cancelled)));

        Assert.NotNull(await Store.GetAsync(photo.Id, CancellationToken.None, fromPrimary: true));
    }

    [Fact]
    public async Task Marking_ready_given_a_cancelled_token_throws_and_the_photo_stays_processing()
    {
        var photo = NewPhoto();
        await InsertAsync(photo);

        await InTransactionAsync(photo.Id, async tx =>
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => Store.MarkReadyAsync(tx, photo.Id, [new StoredVariant("thumb", 1, 1, "p/x.jpg")], 2, Cancelled)));

        var stored = await Store.GetAsync(photo.Id, CancellationToken.None, fromPrimary: true);
        Assert.Equal(PhotoStatus.Processing, stored!.Status);
        Assert.Null(stored.Variants);
    }

    [Fact]
    public async Task The_same_calls_with_a_live_token_do_their_work()
    {
        // The control: what the tests above see is the token, not a store that fails anyway.
        var photo = NewPhoto();
        await InsertAsync(photo);
        await InTransactionAsync(photo.Id, async tx =>
            Assert.True(await Store.MarkReadyAsync(tx, photo.Id, [new StoredVariant("thumb", 1, 1, "p/x.jpg")], 2, CancellationToken.None)));
        Assert.Equal(PhotoStatus.Ready, (await Store.GetAsync(photo.Id, CancellationToken.None, fromPrimary: true))!.Status);

        await InTransactionAsync(photo.Id, async tx => Assert.NotNull(await Store.DeleteAsync(tx, photo.Id, CancellationToken.None)));
        Assert.Null(await Store.GetAsync(photo.Id, CancellationToken.None, fromPrimary: true));
    }
}
