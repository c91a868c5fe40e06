namespace Scalegram.Web;

/// <summary>RFC 7807 answers with a stable machine-readable code and a message a person can act on.</summary>
internal static class Problems
{
    public const string TypeBase = "https://scalegram.dev/problems/";

    public static IResult Of(int status, string code, string detail, string? title = null) =>
        Results.Problem(
            statusCode: status,
            type: TypeBase + code,
            title: title ?? DefaultTitle(status),
            detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = code });

    public static IResult BadRequest(string code, string detail) => Of(StatusCodes.Status400BadRequest, code, detail);

    public static IResult NotFound(string what) => Of(StatusCodes.Status404NotFound, "not-found", $"{what} was not found.");

    public static IResult Forbidden(string detail) => Of(StatusCodes.Status403Forbidden, "forbidden", detail);

    public static IResult Conflict(string code, string detail) => Of(StatusCodes.Status409Conflict, code, detail);

    /// <summary>The code for a problem the framework raised by status alone.</summary>
    public static string CodeFor(int status) => status switch
    {
        400 => "bad-request",
        401 => "not-signed-in",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        413 => "too-large",
        415 => "unsupported-media-type",
        429 => "rate-limited",
        _ => status >= 500 ? "internal" : "error",
    };

    /// <summary>A message a person can act on, for a problem the framework raised by status alone.</summary>
    public static string DetailFor(int status) => status switch
    {
        404 => "There is nothing at this address; the API lives under /api (see /openapi/v1.json).",
        405 => "This address does not take that HTTP method; see /openapi/v1.json.",
        415 => "This endpoint does not take that Content-Type: uploads are multipart/form-data, other bodies application/json.",
        _ => "The request could not be handled.",
    };

    private static string DefaultTitle(int status) => status switch
    {
        400 => "Bad request",
        401 => "Not signed in",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        413 => "Too large",
        415 => "Unsupported media type",
        422 => "Unprocessable content",
        429 => "Too many requests",
        503 => "Service unavailable",
        _ => "Error",
    };
}
