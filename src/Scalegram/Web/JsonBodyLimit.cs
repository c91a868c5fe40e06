using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Scalegram.Web;

/// <summary>
/// Caps every request body at Web:MaxJsonBodyBytes (64 KiB) before the endpoint reads it, or at an endpoint's
/// own <see cref="BodyLimitAttribute"/>: a bigger body is a 413 problem (Kestrel stops reading; a declared
/// Content-Length over the limit is refused without reading). Endpoints that accept multipart/form-data
/// (uploads) are left to set their own limit (<c>UploadReader</c>).
/// </summary>
internal sealed class JsonBodyLimit(RequestDelegate next, IOptions<WebOptions> options)
{
    public Task InvokeAsync(HttpContext http)
    {
        var metadata = http.GetEndpoint()?.Metadata;
        var limit = metadata?.GetMetadata<BodyLimitAttribute>()?.Bytes ?? options.Value.MaxJsonBodyBytes;
        var upload = metadata?.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Contains("multipart/form-data", StringComparer.OrdinalIgnoreCase) == true;

        // An upload endpoint sets its own limit; left alone, Kestrel can also drain a refused upload's body
        // after the 413 instead of resetting the connection while the client is still sending.
        if (!upload && http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return next(http);
    }
}

/// <summary>An endpoint's own request body limit in bytes (smaller than Web:MaxJsonBodyBytes for sign-in, say).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
internal sealed class BodyLimitAttribute(long bytes) : Attribute
{
    public long Bytes { get; } = bytes;
}

/// <summary>Endpoint builder shortcut for <see cref="BodyLimitAttribute"/>.</summary>
internal static class BodyLimitExtensions
{
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new BodyLimitAttribute(bytes));
}
