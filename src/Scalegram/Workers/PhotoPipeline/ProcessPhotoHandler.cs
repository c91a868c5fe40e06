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

        byte[] original;
        await using (var stream = await blobs.OpenReadAsync(photo.OriginalKey, ct) ?? throw new PermanentJobFailure("The uploaded file is missing from storage."))
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            original = buffer.ToArray();
        }

        IReadOnlyList<EncodedVariant> encoded;
        try
        {
            encoded = Render(original, photo, ct);
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
        var placeholder = encoded.FirstOrDefault(v => v.Name == VariantSpec.Medium.Name) is { } medium
            ? Timed("placeholder", () => Placeholder.FromVariant(medium.Bytes, ct), ct)
            : null;

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

    /// <summary>Variants live under p/{photoId}/, the only prefix /media serves.</summary>
    public static string MediaPrefix(long photoId) => $"p/{photoId}/";

    /// <summary>
    /// CPU-bound and synchronous, so cancellation is checked before every stage and variant, and
    /// decode and encode are stopped inside libvips too; a cancelled render throws
    /// <see cref="OperationCanceledException"/>, which the runner treats as an abandoned job, not a failed one.
    /// </summary>
    private IReadOnlyList<EncodedVariant> Render(byte[] original, PhotoRecord photo, CancellationToken ct)
    {
        var header = Timed("probe", () => ImageProbe.Probe(original, options.Value.MaxPixels), ct);
        using var working = Timed("decode", () => DecodeStage.Decode(original, ct), ct);
        var crop = photo.Crop is { } text && CropRect.TryParse(text, out var c, out _) ? c : null;
        using var cropped = Timed("crop", () => CropStage.Apply(working, crop, header), ct);
        using var filtered = Timed("filter", () => FilterStage.Apply(cropped, photo.Filter ?? Filters.None), ct);
        var o = options.Value;
        var alternates = ModernFormats.Choose(o.FormatNames, o.WebpQuality, o.AvifQuality, o.AvifEffort);
        return Timed("encode", () => VariantSpec.All.Select(spec => EncodeStage.Encode(filtered, spec, o.JpegQuality, ct, alternates)).ToList(), ct);
    }

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

    private T Timed<T>(string stage, Func<T> run, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        try
        {
            return run();
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is NetVips.VipsException or ImageRejected)
        {
            // Stopped part-way, so it may look like a corrupt image: it is not, and the job must be abandoned, not failed.
            throw new OperationCanceledException($"Image processing was cancelled ({stage}).", e, ct);
        }
        catch (NetVips.VipsException e)
        {
            throw new ImageRejected($"The image could not be processed ({stage}): the file is truncated or corrupt. {e.Message.Split('\n')[0]}");
        }
        finally
        {
            metrics.PipelineStage(stage, Stopwatch.GetElapsedTime(started));
        }
    }
}
