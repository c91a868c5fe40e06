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

/// <summary>The body of POST /api/me/password.</summary>
internal sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>A changed password: how many other sessions were signed out (the one that asked stays).</summary>
internal sealed record PasswordChangedDto(int RevokedSessions);

/// <summary>One of your sessions: an opaque ID (never the token), when it started and was last used, where from, and whether it is the one asking.</summary>
internal sealed record SessionDto(string Id, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, string Device, string? ClientAddress, bool Current);

/// <summary>How many sessions a sign-out-everywhere ended.</summary>
internal sealed record SessionsRevokedDto(int Revoked);
