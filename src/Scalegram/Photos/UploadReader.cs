using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Scalegram.Imaging;
using Scalegram.Web;

namespace Scalegram.Photos;

/// <summary>
/// Reads a multipart upload as a stream: the file goes straight to a temp file and the read
/// stops with 413 the moment it passes the limit, so a huge upload is never buffered.
/// </summary>
internal sealed class UploadReader(IOptions<PhotoOptions> options, UploadSpool spool)
{
    public const int MaxCaptionLength = 2200;
    private const int MaxFieldBytes = 16 * 1024;

    public async Task<(UploadForm? Form, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var limit = options.Value.MaxUploadBytes;
        if (request.ContentLength > limit + MaxFieldBytes * 4)
        {
            return (null, TooLarge(limit));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = limit + (MaxFieldBytes * 4);
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return (null, Problems.Of(415, "not-multipart", "Upload a photo as multipart/form-data with a 'file' field."));
        }

        string caption = "", filter = Filters.None, cropText = "";
        string? tempPath = null;
        long length = 0;
        ImageFormat? format = null;
        var keep = false;
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = MaxFieldBytes };
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (name == "file" && tempPath is null)
                {
                    tempPath = spool.NewPath();
                    (length, format) = await CopyLimitedAsync(section.Body, tempPath, limit, ct);
                    if (length > limit)
                    {
                        return (null, TooLarge(limit));
                    }
                }
                else if (name is "caption" or "filter" or "crop")
                {
                    var value = await ReadFieldAsync(section.Body, ct);
                    if (value is null)
                    {
                        return (null, Problems.BadRequest("field-too-long", $"The '{name}' field is too long."));
                    }

                    _ = name switch
                    {
                        "caption" => caption = value,
                        "filter" => filter = value.Trim().ToLowerInvariant(),
                        _ => cropText = value.Trim(),
                    };
                }
            }

            if (tempPath is null)
            {
                return (null, Problems.BadRequest("missing-file", "Attach the photo in a form field named 'file'."));
            }

            if (format is null)
            {
                return (null, Problems.Of(415, "unsupported-image", "Only JPEG, PNG, GIF, WebP and AVIF images are accepted; this file is none of them."));
            }

            if (format == ImageFormat.Heic && !HeifSupport.CanDecodeHeic)
            {
                return (null, Problems.Of(415, "heic-unsupported", "HEIC is not supported by this server's image library (it has no HEVC decoder): export the photo as JPEG (on an iPhone: Settings › Camera › Formats › Most Compatible) and upload it again."));
            }

            keep = true;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(limit));
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !ct.IsCancellationRequested)
        {
            return (null, Problems.BadRequest("malformed-upload", "The multipart body could not be read: " + e.Message));
        }
        finally
        {
            // Every way out but a complete, recognised file deletes it: refusals, malformed bodies, and a
            // client that went away mid-part (the read throws with the request aborted).
            if (!keep)
            {
                UploadSpool.Delete(tempPath);
            }
        }

        var form = new UploadForm { TempPath = tempPath, Length = length, Format = format, Caption = caption.Trim(), Filter = filter.Length == 0 ? Filters.None : filter };
        IResult? problem = null;
        if (form.Caption.Length > MaxCaptionLength)
        {
            problem = Problems.BadRequest("caption-too-long", $"A caption may be at most {MaxCaptionLength} characters.");
        }
        else if (!UserText.IsClean(form.Caption, multiLine: true))
        {
            problem = UserText.Problem("caption");
        }
        else if (!Filters.IsKnown(form.Filter))
        {
            problem = Problems.BadRequest("unknown-filter", $"Unknown filter '{form.Filter}'; choose one of: {string.Join(", ", Filters.All)}.");
        }
        else if (cropText.Length > 0)
        {
            if (CropRect.TryParse(cropText, out var crop, out var error))
            {
                return (new UploadForm { TempPath = tempPath, Length = length, Format = format, Caption = form.Caption, Filter = form.Filter, Crop = crop }, null);
            }

            problem = Problems.BadRequest("invalid-crop", error);
        }

        if (problem is not null)
        {
            form.Dispose();
            return (null, problem);
        }

        return (form, null);
    }

    private static IResult TooLarge(long limit) =>
        Problems.Of(413, "upload-too-large", $"A photo may be at most {limit / (1024 * 1024)} MB.");

    private static async Task<(long Length, ImageFormat? Format)> CopyLimitedAsync(Stream source, string path, long limit, CancellationToken ct)
    {
        var buffer = new byte[81920];
        long total = 0;
        ImageFormat? format = null;
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        var head = new byte[ImageFormat.SniffLength];
        var headLength = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            if (headLength < head.Length)
            {
                var take = Math.Min(read, head.Length - headLength);
                Array.Copy(buffer, 0, head, headLength, take);
                headLength += take;
                if (headLength == head.Length || format is null)
                {
                    format = ImageFormat.Sniff(head.AsSpan(0, headLength));
                }
            }

            total += read;
            if (total > limit)
            {
                return (total, format);
            }

            await file.WriteAsync(buffer.AsMemory(0, read), ct);
        }

        return (total, headLength == head.Length ? format : ImageFormat.Sniff(head.AsSpan(0, headLength)));
    }

    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        using var reader = new StreamReader(body);
        var buffer = new char[MaxFieldBytes + 1];
        var total = 0;
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(total), ct)) > 0)
        {
            total += read;
            if (total > MaxFieldBytes)
            {
                return null;
            }
        }

        return new string(buffer, 0, total);
    }
}
