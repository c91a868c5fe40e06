namespace Scalegram.Photos;

/// <summary>A photo as the API returns it. IDs are strings: they are 64-bit and JavaScript numbers are not.</summary>
internal sealed record PhotoDto(
    string Id,
    UserSummary Owner,
    string Caption,
    string Filter,
    string Status,
    string? FailureReason,
    IReadOnlyList<VariantDto> Variants,
    long Likes,
    long Comments,
    bool? LikedByMe,
    DateTimeOffset CreatedAt,
    string? Placeholder = null);

/// <summary>
/// One size of a photo, with the URL to fetch it (JPEG, which every client reads) and the same image in
/// every format it exists in, best first (AVIF, WebP, then that JPEG): a client takes the first type it supports.
/// </summary>
internal sealed record VariantDto(string Name, int Width, int Height, string Url, IReadOnlyList<SourceDto>? Sources = null);

/// <summary>One variant in one format.</summary>
internal sealed record SourceDto(string Type, string Url);

/// <summary>Who owns or wrote something.</summary>
internal sealed record UserSummary(string Id, string Username, string DisplayName);

/// <summary>A comment as the API returns it.</summary>
internal sealed record CommentDto(string Id, UserSummary Author, string Text, DateTimeOffset CreatedAt);


/// <summary>The answer to an accepted upload.</summary>
internal sealed record UploadAccepted(string Id, string Status);
