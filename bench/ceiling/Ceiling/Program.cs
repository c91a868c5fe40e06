// The ceiling of bench/ceiling/run.sh: the least an ASP.NET Core endpoint can do on this machine — Kestrel, routing,
// one minimal-API GET answering a small JSON object, logging at Warning — and nothing of Scalegram's pipeline.
// Every Scalegram endpoint is measured as a share of it, in the same run.
//   dotnet ceiling.dll --urls http://127.0.0.1:PORT
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
var app = builder.Build();
var answer = new Pong("ok", 1);
app.MapGet("/", () => answer);
app.Run();

/// <summary>The small JSON object the ceiling answers.</summary>
internal sealed record Pong(string Status, int Version);
