using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Scalegram.Accounts;
using Scalegram.Caching;
using Scalegram.Data;
using Scalegram.Data.Ids;
using Scalegram.Imaging;
using Scalegram.Jobs;
using Scalegram.Messaging;
using Scalegram.Observability;
using Scalegram.Photos;
using Scalegram.Storage;

namespace Scalegram.Workers.PhotoPipeline;

/// <summary>
/// photo.process: probe, decode, crop, filter, make the variants, store them under content
/// hashes, mark the photo ready and enqueue its fan-out. Running it twice changes nothing twice:
/// the same original gives the same keys, and only a 'processing' photo can turn ready.
/// </summary>
internal sealed class ProcessPhotoHandler(
    Database db,
    PhotoStore photos,
    IBlobStore blobs,
    Outbox outbox,
    EntityCache cache,
    TimeProvider time,
    IOptions<PhotoOptions> options,
    IOptions<ImagingOptions> imaging,
    RenderGate gate,
    ScalegramMetrics metrics,
    ILogger<ProcessPhotoHandler> logger) : IJobHandler
{
    public string Type => JobTypes.ProcessPhoto;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var photoId = JobJson.Read<PhotoJob>(job).PhotoId;
        var photo = await photos.GetAsync(photoId, ct, fromPrimary: true);
        if (photo is null || photo.Status != PhotoStatus.Processing)
        {
            return;
        }

        var original = await ReadOriginalAsync(photo.OriginalKey, ct);
        var crop = photo.Crop is { } text && CropRect.TryParse(text, out var c, out _) ? c : null;
        var o = options.Value;
        var settings = new RenderSettings(o.MaxPixels, o.JpegQuality, ModernFormats.Choose(o.FormatNames, o.WebpQuality, o.AvifQuality, o.AvifEffort));
        IReadOnlyList<EncodedVariant> encoded;
        try
        {
            var header = PhotoRenderer.Probe(original, settings.MaxPixels, metrics.PipelineStage, ct);

            // Wait for a render slot and the decode memory this image needs, then render within the time limit.
            using var lease = await gate.EnterAsync(header, ct);
            using var timeLimit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeLimit.CancelAfter(imaging.Value.RenderTimeout);
            try
            {
                encoded = PhotoRenderer.Render(original, header, crop, photo.Filter ?? Filters.None, settings, metrics.PipelineStage, timeLimit.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new ImageRejected($"The photo took longer than {imaging.Value.RenderTimeout.TotalSeconds:0.#} s to process and was stopped. Try a smaller or simpler image.");
            }
        }
        catch (ImageRejected e)
        {
            throw new PermanentJobFailure(e.Message);
        }

        var stored = new List<StoredVariant>(encoded.Count);
        var storing = Stopwatch.GetTimestamp();
        foreach (var v in encoded)
        {
            var key = $"{MediaPrefix(photoId)}{v.Name}-{Convert.ToHexStringLower(SHA256.HashData(v.Bytes))[..20]}.jpg";
            await blobs.PutAsync(key, new MemoryStream(v.Bytes, writable: false), ct);
            stored.Add(new StoredVariant(v.Name, v.Width, v.Height, key, await StoreAlternatesAsync(photoId, v, ct)));
        }

        metrics.PipelineStage("store", Stopwatch.GetElapsedTime(storing));
        string? placeholder = null;
        if (encoded.FirstOrDefault(v => v.Name == VariantSpec.Medium.Name) is { } medium)
        {
            var started = Stopwatch.GetTimestamp();
            placeholder = Placeholder.FromVariant(medium.Bytes, ct); // best effort: null when it cannot be made
            metrics.PipelineStage("placeholder", Stopwatch.GetElapsedTime(started));
        }

        bool turnedReady;
        await using (var connection = await db.ForId(photoId).Primary.OpenAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            turnedReady = await photos.MarkReadyAsync(tx, photoId, stored, time.GetUtcNow().ToUnixTimeMilliseconds(), ct, placeholder);
            if (turnedReady)
            {
                await outbox.EnqueueAsync(tx, ScalegramId.ShardOf(photoId), JobTypes.FanOutPhoto, new PhotoJob(photoId), ct);
            }

            await outbox.CommitAsync(tx, ct);
        }

        await cache.InvalidateAsync(PhotoCacheKeys.Photo(photoId), ct);
        if (!turnedReady && await photos.GetAsync(photoId, ct, fromPrimary: true) is null)
        {
            // Deleted while we worked: the variants we just wrote belong to nobody.
            foreach (var key in stored.SelectMany(v => v.AllKeys))
            {
                await blobs.DeleteAsync(key, ct);
            }
        }
    }

    public async Task OnGaveUpAsync(Job job, string reason, CancellationToken ct)
    {
        var photoId = JobJson.Read<PhotoJob>(job).PhotoId;
        if (await photos.MarkFailedAsync(photoId, reason, time.GetUtcNow().ToUnixTimeMilliseconds(), ct))
        {
            Log.PhotoFailed(logger, photoId, reason);

            // Profiles count only photos that are not failed: the owner's cached count is now one too many.
            if (await photos.GetAsync(photoId, ct, fromPrimary: true) is { } photo)
            {
                await cache.InvalidateAsync(AccountCacheKeys.Counts(photo.OwnerId), ct);
            }
        }

        await cache.InvalidateAsync(PhotoCacheKeys.Photo(photoId), ct);
    }

    /// <summary>The original, read once into an array of its exact size when the store says how long it is.</summary>
    private async Task<byte[]> ReadOriginalAsync(string key, CancellationToken ct)
    {
        await using var stream = await blobs.OpenReadAsync(key, ct) ?? throw new PermanentJobFailure("The uploaded file is missing from storage.");
        if (stream.CanSeek)
        {
            var bytes = new byte[stream.Length];
            await stream.ReadExactlyAsync(bytes, ct);
            return bytes;
        }

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    /// <summary>Variants live under p/{photoId}/, the only prefix /media serves.</summary>
    public static string MediaPrefix(long photoId) => $"p/{photoId}/";

    /// <summary>The variant in the other formats, each under its own content hash beside the JPEG.</summary>
    private async Task<IReadOnlyList<StoredAlternate>?> StoreAlternatesAsync(long photoId, EncodedVariant v, CancellationToken ct)
    {
        if (v.Alternates is not { Count: > 0 } alternates)
        {
            return null;
        }

        var stored = new List<StoredAlternate>(alternates.Count);
        foreach (var a in alternates)
        {
            var key = $"{MediaPrefix(photoId)}{v.Name}-{Convert.ToHexStringLower(SHA256.HashData(a.Bytes))[..20]}.{a.Format.Extension}";
            await blobs.PutAsync(key, new MemoryStream(a.Bytes, writable: false), ct);
            stored.Add(new StoredAlternate(a.Format.MediaType, key));
        }

        return stored;
    }
}
