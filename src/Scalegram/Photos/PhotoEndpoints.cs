using Scalegram.Accounts;
using Scalegram.Data;
using Scalegram.Imaging;
using Scalegram.Web;
using Scalegram.Web.Idempotency;

namespace Scalegram.Photos;

/// <summary>/api/photos: upload, read, delete, like, comment.</summary>
internal static class PhotoEndpoints
{
    public const int PageSize = 20;
    public const int MaxCommentLength = 2200;

    public static IEndpointRouteBuilder MapPhotos(this IEndpointRouteBuilder app)
    {
        var photos = app.MapGroup("/api/photos").WithTags("Photos");

        photos.MapPost("", async (HttpContext http, UploadReader reader, UploadLimiter limits, PhotoService service, CancellationToken ct) =>
        {
            // Before the body is read: a refused upload stores nothing, not even its temp file.
            if (await limits.CheckAsync(CurrentUser.RequiredId(http.User), ct) is { } refusal)
            {
                return Refused(http, refusal);
            }

            var (form, problem) = await reader.ReadAsync(http.Request, ct);
            if (problem is not null)
            {
                return problem;
            }

            using (form)
            {
                var (photoId, code, error) = await service.UploadAsync(CurrentUser.RequiredId(http.User), form!, http.Features.Get<WriteKey>(), ct);
                if (photoId is null)
                {
                    return Problems.Of(code is ImageRejected.Unreadable or ImageRejected.TooLarge ? 422 : 400, code!, error!);
                }

                var id = Cursor.Write(photoId.Value);
                return Results.Accepted($"/api/photos/{id}", new UploadAccepted(id, PhotoStatus.Processing));
            }
        })
        .RequireAuthorization()
        .DisableAntiforgery()
        .WithIdempotency()
        .Accepts<UploadRequestDoc>("multipart/form-data")
        .Produces<UploadAccepted>(202)
        .WithSummary("Upload a photo (multipart: file, caption?, filter?, crop?). Processing continues in the background. 429 over Photos:UploadsPerHour, 403 upload-quota-exceeded over Photos:MaxPhotosPerUser.");

        photos.MapGet("/{id:long}", async (long id, HttpContext http, PhotoService service, CancellationToken ct) =>
            await service.GetDtoAsync(id, CurrentUser.IdOf(http.User), ct) is { } dto ? Results.Ok(dto) : Problems.NotFound("That photo"))
            .Produces<PhotoDto>();

        photos.MapGet("/{id:long}/media/{variant}", async (long id, string variant, HttpContext http, PhotoService service, CancellationToken ct) =>
        {
            if (await service.GetDtoAsync(id, CurrentUser.IdOf(http.User), ct) is not { } dto)
            {
                return Problems.NotFound("That photo");
            }

            if (dto.Variants.FirstOrDefault(v => v.Name == variant) is not { } found)
            {
                return Problems.NotFound($"A '{variant}' variant of that photo");
            }

            // The answer depends on Accept, and its target on the edge's health and (private photos) a signature's expiry.
            http.Response.Headers.Vary = "Accept";
            http.Response.Headers.CacheControl = "private, no-cache";
            return Results.Redirect(FormatNegotiation.Choose(found.Sources ?? [new SourceDto(ImageFormat.Jpeg.MediaType, found.Url)], http.Request.Headers.Accept).Url);
        })
        .Produces(302)
        .WithSummary("Redirects to a variant (thumb, medium, large) in the best format the Accept header names: image/avif, image/webp, else JPEG.");

        photos.MapDelete("/{id:long}", async (long id, HttpContext http, PhotoService service, CancellationToken ct) =>
            await service.DeleteAsync(id, CurrentUser.RequiredId(http.User), ct) switch
            {
                DeleteOutcome.Deleted => Results.NoContent(),
                DeleteOutcome.Forbidden => Problems.Forbidden("Only the owner may delete a photo."),
                _ => Problems.NotFound("That photo"),
            })
            .RequireAuthorization();

        photos.MapPut("/{id:long}/like", (long id, HttpContext http, PhotoService service, CancellationToken ct) => Like(id, http, service, true, ct))
            .RequireAuthorization();
        photos.MapDelete("/{id:long}/like", (long id, HttpContext http, PhotoService service, CancellationToken ct) => Like(id, http, service, false, ct))
            .RequireAuthorization();

        photos.MapPost("/{id:long}/comments", async (long id, CommentRequest? body, HttpContext http, PhotoService service, CancellationToken ct) =>
        {
            var text = body?.Text?.Trim() ?? "";
            if (text.Length == 0 || text.Length > MaxCommentLength)
            {
                return Problems.BadRequest("invalid-comment", $"A comment is 1 to {MaxCommentLength} characters of text.");
            }

            if (!UserText.IsClean(text, multiLine: true))
            {
                return UserText.Problem("comment");
            }

            var comment = await service.CommentAsync(id, CurrentUser.RequiredId(http.User), text, http.Features.Get<WriteKey>(), ct);
            if (comment is null)
            {
                return Problems.NotFound("That photo");
            }

            var dto = (await service.CommentDtosAsync([comment], ct))[0];
            return Results.Created($"/api/photos/{id}/comments", dto);
        })
        .RequireAuthorization()
        .WithIdempotency()
        .Produces<CommentDto>(201);

        photos.MapDelete("/{id:long}/comments/{commentId:long}", async (long id, long commentId, HttpContext http, PhotoService service, CancellationToken ct) =>
            await service.DeleteCommentAsync(id, commentId, CurrentUser.RequiredId(http.User), ct) switch
            {
                DeleteOutcome.Deleted => Results.NoContent(),
                DeleteOutcome.Forbidden => Problems.Forbidden("Only a comment's author or the photo's owner may delete it."),
                _ => Problems.NotFound("That comment"),
            })
            .RequireAuthorization()
            .WithSummary("Delete a comment: its author or the photo's owner may.");

        photos.MapGet("/{id:long}/comments", async (long id, string? cursor, HttpContext http, PhotoStore store, PhotoService service, CancellationToken ct) =>
        {
            if (!Cursor.TryRead(cursor, 0, out var after))
            {
                return Cursor.Invalid();
            }

            if (await service.GetVisibleAsync(id, CurrentUser.IdOf(http.User), ct) is null)
            {
                return Problems.NotFound("That photo");
            }

            var rows = await store.ListCommentsAsync(id, after, PageSize + 1, ct);
            var page = rows.Take(PageSize).ToList();
            var next = rows.Count > PageSize ? Cursor.Write(page[^1].Id) : null;
            return Results.Ok(new Page<CommentDto>(await service.CommentDtosAsync(page, ct), next));
        })
        .Produces<Page<CommentDto>>();

        app.MapGet("/api/users/{username}/photos", async (string username, string? cursor, HttpContext http, AccountService accounts, PhotoStore store, PhotoService photos, CancellationToken ct) =>
        {
            if (!Cursor.TryRead(cursor, long.MaxValue, out var before))
            {
                return Cursor.Invalid();
            }

            var user = await accounts.FindByUsernameAsync(username, ct);
            if (user is null)
            {
                return Problems.NotFound($"User '{username}'");
            }

            var viewer = CurrentUser.IdOf(http.User);
            if (!await photos.CanSeeOwnerAsync(viewer, user.Id, ct))
            {
                return PrivateAccount();
            }

            var rows = await store.ListByOwnerAsync(user.Id, before, PageSize + 1, includeUnfinished: viewer == user.Id, ct);
            var page = rows.Take(PageSize).ToList();
            var next = rows.Count > PageSize ? Cursor.Write(page[^1].Id) : null;
            return Results.Ok(new Page<PhotoDto>(await photos.ToDtosAsync(page, viewer, ct), next));
        })
        .WithTags("Accounts")
        .Produces<Page<PhotoDto>>();

        return app;
    }

    /// <summary>429 with Retry-After (seconds) over the rate; 403 over the quota, where waiting does not help.</summary>
    public static IResult Refused(HttpContext http, UploadRefusal refusal)
    {
        if (refusal.RetryAfter is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Of(StatusCodes.Status429TooManyRequests, "upload-rate-limited", refusal.Message);
        }

        return Problems.Of(StatusCodes.Status403Forbidden, "upload-quota-exceeded", refusal.Message);
    }

    /// <summary>403: the account is private and the viewer is not an approved follower (its profile says it is private anyway).</summary>
    public static IResult PrivateAccount() =>
        Problems.Of(StatusCodes.Status403Forbidden, "private-account", "This account is private: only its approved followers see its photos.");

    private static async Task<IResult> Like(long id, HttpContext http, PhotoService service, bool like, CancellationToken ct) =>
        await service.LikeAsync(id, CurrentUser.RequiredId(http.User), like, ct) ? Results.NoContent() : Problems.NotFound("That photo");
}

/// <summary>The body of POST /api/photos/{id}/comments.</summary>
internal sealed record CommentRequest(string? Text);

/// <summary>Documents the multipart upload form for OpenAPI.</summary>
internal sealed class UploadRequestDoc
{
    public IFormFile? File { get; set; }

    public string? Caption { get; set; }

    public string? Filter { get; set; }

    public string? Crop { get; set; }
}
