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

    // The value per local port (a node listens on one or two), built once rather than on every request.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> _byPort = new();

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.Headers[Name] = _configured ?? _byPort.GetOrAdd(context.Connection.LocalPort, static port => $"{Environment.MachineName}:{port}");
        return next(context);
    }
}
