namespace Scalegram.Accounts;

/// <summary>The body of POST /api/accounts.</summary>
internal sealed record SignUpRequest(string? Username, string? Password, string? DisplayName);

/// <summary>The body of POST /api/sessions.</summary>
internal sealed record SignInRequest(string? Username, string? Password);

/// <summary>A new session: the bearer token (also set as the session cookie) and when it ends.</summary>
internal sealed record SessionCreated(string Token, DateTimeOffset ExpiresAt);

/// <summary>The signed-in user.</summary>
internal sealed record MeDto(string Id, string Username, string DisplayName, bool IsAdmin, DateTimeOffset CreatedAt);

/// <summary>A public profile with its counts.</summary>
internal sealed record ProfileDto(
    string Id,
    string Username,
    string DisplayName,
    long Photos,
    long Followers,
    long Following,
    bool? FollowedByMe,
    DateTimeOffset CreatedAt);

/// <summary>The body of PATCH /api/me.</summary>
internal sealed record UpdateMeRequest(string? DisplayName);
