using Microsoft.AspNetCore.Authentication;
using Scalegram.Caching;
using Scalegram.Web;

namespace Scalegram.Ops;

/// <summary>
/// The ops page (/ops) and its data: GET /api/ops/series (JSON), GET /api/ops/queues (backlog and throughput per queue), GET /api/ops/replicas (lag per replica), GET /api/ops/edges (the edge: up, hit ratio), GET /api/ops/cache (L1 and Redis memory) and GET /api/ops/charts/{name}.svg.
/// Administrators only: signed-out visitors are sent to /signin, others get a friendly 403.
/// </summary>
internal static class OpsEndpoints
{
    /// <summary>The sampler behind the page (web roles: the page is served where it is sampled).</summary>
    public static IServiceCollection AddOps(this IServiceCollection services)
    {
        services.AddSingleton<OpsSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<OpsSampler>());
        return services;
    }

    public static WebApplication MapOps(this WebApplication app)
    {
        app.MapGet("/ops", async (HttpContext http, StaticAssets assets) =>
        {
            if (http.User.Identity?.IsAuthenticated != true)
            {
                await http.ChallengeAsync();
                return Results.Empty;
            }

            return http.User.IsInRole("admin")
                ? Results.Content(OpsPage.Html(assets), "text/html; charset=utf-8")
                : Results.Content(OpsPage.Forbidden(assets, http.User.Identity.Name), "text/html; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
        }).ExcludeFromDescription();

        var api = app.MapGroup("/api/ops").WithTags("Ops").RequireAuthorization("admin");
        api.MapGet("/series", (OpsSampler sampler) => Results.Ok(sampler.Series()));
        api.MapGet("/edges", (IServiceProvider services) => Results.Ok(OpsEdges.Of(services.GetService<Cdn.EdgeHealth>(), services.GetService<Cdn.EdgeStats>())));
        api.MapGet("/queues", (Messaging.JobCatalog catalog, Messaging.QueueGauges gauges, Messaging.QueueThroughput throughput) => Results.Ok(OpsQueue.Of(catalog, gauges, throughput)));
        api.MapGet("/cache", (IServiceProvider services) => Results.Ok(OpsCacheTier.Of(services.GetService<CacheGauges>())));
        api.MapGet("/replicas", (Data.Database db) => Results.Ok(OpsReplicaStore.Of(db)));
        api.MapGet("/charts/{name}.svg", (string name, OpsSampler sampler) =>
        {
            if (!OpsCharts.Exists(name))
            {
                return Web.Problems.Of(404, "no-such-chart", $"There is no chart '{name}'; the charts are {string.Join(", ", OpsCharts.Names)}.");
            }

            return Results.Text(OpsCharts.Svg(name, sampler.Series().Points), "image/svg+xml");
        });
        return app;
    }
}
