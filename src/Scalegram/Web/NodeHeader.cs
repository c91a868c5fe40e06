using Microsoft.Extensions.Options;

namespace Scalegram.Web;

/// <summary>
/// Adds X-Scalegram-Node to every answer of a web node: Web:NodeName, else the machine name and the port the
/// request came in on, so an operator (or a test) behind a load balancer can tell which node answered.
/// </summary>
internal sealed class NodeHeader(RequestDelegate next, IOptions<WebOptions> options)
{
    public const string Name = "X-Scalegram-Node";

    private readonly string? _configured = string.IsNullOrWhiteSpace(options.Value.NodeName) ? null : options.Value.NodeName;

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.Headers[Name] = _configured ?? $"{Environment.MachineName}:{context.Connection.LocalPort}";
        return next(context);
    }
}
